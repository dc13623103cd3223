// node-oidc-provider as a real Dynamic Client Registration server on loopback.
//   node server.mjs [PORT]     (or PORT=... in the environment; default 3000)
//   ROTATE=1|0                 rotate the registration access token on every PUT (default 0)
// Registration: POST http://127.0.0.1:PORT/reg; management: GET|PUT|DELETE /reg/{client_id}.
// Everything lives in the provider's in-memory adapter and is lost on exit.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`invalid port: ${process.argv[2] ?? process.env.PORT}`);
  process.exit(2);
}
const rotate = (process.env.ROTATE ?? '0') === '1';

// A fresh signing key per start; without one the provider falls back to a
// published development key and warns.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'dcrspec', use: 'sig', alg: 'RS256' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false }, // no login UI is needed for DCR
    registration: { enabled: true },     // POST /reg, issues registration access tokens
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: rotate },
  },
});

// Surface server-side failures (a 500 from the provider) in the log.
provider.on('server_error', (ctx, err) => console.error('server_error', err));

createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(`rotateRegistrationAccessToken=${rotate}`);
  console.log(`ready ${port}`);
});
