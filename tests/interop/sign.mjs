// Makes a key pair with panva/jose and signs one RFC 9068 access token with it, so that the
// Tessera tests can check that Tessera accepts what jose produces.
//   node sign.mjs --alg ES256 --out DIR --issuer ISS --audience AUD --subject SUB --now UNIX
// Writes DIR/token.jwt, DIR/jwks.json (public JWK Set: kid = RFC 7638 thumbprint, alg, use sig)
// and DIR/unsecured.jwt (the same claims as an alg "none" token, jose's UnsecuredJWT).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

const { values: a } = parseArgs({
  options: {
    alg: { type: 'string' }, out: { type: 'string' }, issuer: { type: 'string' },
    audience: { type: 'string' }, subject: { type: 'string' }, now: { type: 'string' },
  },
});
const now = Number(a.now);

const { privateKey, publicKey } = await generateKeyPair(a.alg, { extractable: true });
const jwk = await exportJWK(publicKey);
const kid = await calculateJwkThumbprint(jwk);
writeFileSync(join(a.out, 'jwks.json'), JSON.stringify({ keys: [{ ...jwk, kid, alg: a.alg, use: 'sig' }] }));

const claims = { scope: 'telemetry:write', client_id: a.subject };
const token = await new SignJWT(claims)
  .setProtectedHeader({ alg: a.alg, typ: 'at+jwt', kid })
  .setIssuer(a.issuer).setSubject(a.subject).setAudience(a.audience)
  .setIssuedAt(now).setExpirationTime(now + 300).setJti(randomUUID())
  .sign(privateKey);
writeFileSync(join(a.out, 'token.jwt'), token);

const unsecured = new UnsecuredJWT(claims)
  .setIssuer(a.issuer).setSubject(a.subject).setAudience(a.audience)
  .setIssuedAt(now).setExpirationTime(now + 300).setJti(randomUUID())
  .encode();
writeFileSync(join(a.out, 'unsecured.jwt'), unsecured);
