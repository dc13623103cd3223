// The MCP TypeScript SDK's authorization server, as an MCP server author would mount
// it: the SDK's `mcpAuthRouter` at the root of an express app, with an in-memory
// `OAuthRegisteredClientsStore` and a provider that implements nothing but the store
// (dcrspec only registers clients). Listens on 127.0.0.1 only.
//   node server.mjs PORT [default|unlimited]
// `default` keeps the SDK's rate limiter (20 registrations per hour per IP);
// `unlimited` passes `rateLimit: false` to the registration handler.
// Prints "ready PORT" once it listens.
import express from 'express';
import { mcpAuthRouter } from '@modelcontextprotocol/sdk/server/auth/router.js';

const port = Number(process.argv[2]);
const limit = process.argv[3] ?? 'default';
if (!Number.isInteger(port) || !['default', 'unlimited'].includes(limit)) {
  console.error('usage: node server.mjs PORT [default|unlimited]');
  process.exit(2);
}

// The store the SDK asks for: registerClient is what enables /register.
const clients = new Map();
const clientsStore = {
  async getClient(id) {
    return clients.get(id);
  },
  async registerClient(client) {
    clients.set(client.client_id, client);
    return client;
  },
};

// Authorization and tokens are out of dcrspec's scope: refuse them plainly.
const unsupported = async () => {
  throw new Error('not supported by this test server');
};
const provider = {
  clientsStore,
  authorize: unsupported,
  challengeForAuthorizationCode: unsupported,
  exchangeAuthorizationCode: unsupported,
  exchangeRefreshToken: unsupported,
  verifyAccessToken: unsupported,
};

const issuer = new URL(`http://127.0.0.1:${port}/`);
const app = express();
app.use(
  mcpAuthRouter({
    provider,
    issuerUrl: issuer,
    clientRegistrationOptions: limit === 'unlimited' ? { rateLimit: false } : {},
  }),
);
app.listen(port, '127.0.0.1', () => {
  console.log(`issuer ${issuer.href}`);
  console.log(`ready ${port}`);
});
