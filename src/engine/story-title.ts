/** A story's title before its script exists (the bot shows it while the job waits): the local writer's rule. */
export { titleFrom } from '../providers/writers/local.js';
