/**
 * A Discord REST route as a metric label: snowflakes become ":id" and interaction/webhook tokens
 * ":token". A label must never carry a secret (an interaction token is one for 15 minutes), and one
 * series per channel or message would grow without bound.
 */
const SNOWFLAKE = /^\d{15,21}$/;
// Interaction tokens are ~170 characters; any segment this long and opaque is treated as a token.
const OPAQUE = /^[A-Za-z0-9_.-]{32,}$/;

export function discordRouteLabel(route: string): string {
  const path = route.split('?')[0]!.replace(/^\/api\/v\d+/, '');
  const parts = path.split('/');
  const out = parts.map((part, i) => {
    const before = parts[i - 2];
    // /webhooks/{application or webhook id}/{token}, /interactions/{id}/{token}
    if ((before === 'webhooks' || before === 'interactions') && part !== '') return ':token';
    if (SNOWFLAKE.test(part)) return ':id';
    if (OPAQUE.test(part)) return ':token';
    return part;
  });
  return out.join('/').slice(0, 120) || '/';
}
