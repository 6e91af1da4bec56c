// Verifies access tokens with panva/jose against a JWK Set, the way an RFC 9068 resource server
// would: jwtVerify + createLocalJWKSet, typ "at+jwt", exact issuer and audience.
//   node verify.mjs --jwks FILE --issuer ISS --audience AUD --now UNIX TOKEN...
// Prints one JSON line per token: {"valid":true,"header":{...},"payload":{...}} or
// {"valid":false,"code":"ERR_...","claim":"...","message":"..."}.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';

const { values: a, positionals: tokens } = parseArgs({
  options: {
    jwks: { type: 'string' }, issuer: { type: 'string' }, audience: { type: 'string' },
    now: { type: 'string' },
  },
  allowPositionals: true,
});
const keys = createLocalJWKSet(JSON.parse(readFileSync(a.jwks, 'utf8')));
const options = {
  issuer: a.issuer,
  audience: a.audience,
  typ: 'at+jwt',
  currentDate: new Date(Number(a.now) * 1000),
};

for (const token of tokens) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keys, options);
    console.log(JSON.stringify({ valid: true, header: protectedHeader, payload }));
  } catch (err) {
    console.log(JSON.stringify({ valid: false, code: err.code ?? err.name, claim: err.claim, message: err.message }));
  }
}
