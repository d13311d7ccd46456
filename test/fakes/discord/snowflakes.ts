/** Snowflake-shaped ids (18-19 digits), increasing, as Discord's rate-limit buckets expect. */
let next = 1_300_000_000_000_000_000n;

export function snowflake(): string {
  next += 1n + BigInt(Math.floor(Math.random() * 1000));
  return next.toString();
}
