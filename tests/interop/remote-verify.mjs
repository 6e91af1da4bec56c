// Verifies access tokens with panva/jose against a LIVE JWK Set over HTTPS, the way a resource
// server does: createRemoteJWKSet(jwks_uri) + jwtVerify, typ "at+jwt", exact issuer and audience.
// Trust for a self-signed server certificate comes from NODE_EXTRA_CA_CERTS.
//   node remote-verify.mjs --jwks-uri URL --issuer ISS --audience AUD TOKEN...
// Prints one JSON line per token: {"valid":true,"header":{...},"payload":{...}} or
// {"valid":false,"code":"ERR_...","message":"..."}.
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const { values: a, positionals: tokens } = parseArgs({
  options: { 'jwks-uri': { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' } },
  allowPositionals: true,
});
const keys = createRemoteJWKSet(new URL(a['jwks-uri']));
const options = { issuer: a.issuer, audience: a.audience, typ: 'at+jwt' };

for (const token of tokens) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, options);
    console.log(JSON.stringify({ valid: true, header: protectedHeader, payload }));
  } catch (err) {
    console.log(JSON.stringify({ valid: false, code: err.code ?? err.name, message: err.message }));
  }
}
