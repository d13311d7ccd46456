/** Every ffmpeg argument builder, in one import for the pipeline. */
export { buildSceneClipArgs, buildBatchClipArgs, frameCount, type ClipScene, type ClipRun } from './clip-args.js';
export { buildNarrationArgs, type NarrationPart } from './audio-args.js';
export { buildMuxArgs, buildRefitArgs, concatListText } from './mux-args.js';
