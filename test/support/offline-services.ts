/**
 * vitest globalSetup: no test reaches a real service by default. VOICE_PROVIDER=auto without an
 * Inworld key runs a start-up check of Edge's read-aloud service: pointed at a closed local port
 * here (set before any worker starts, so every worker and every process the tests spawn inherits
 * it), the check fails at once and espeak-ng reads, as on a machine without network. Tests about
 * Edge start the fake and set EDGE_BASE_URL themselves.
 */
export default function setup(): void {
  process.env.EDGE_BASE_URL ??= 'ws://127.0.0.1:9';
}
