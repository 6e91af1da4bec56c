// private_key_jwt client side (RFC 7523 §2.2) made with panva/jose, so the token service is
// checked against assertions it did not make itself.
//   node client-assertion.mjs keygen --alg ES256 --out DIR
//     writes DIR/jwks.json (public JWK Set: kid = RFC 7638 thumbprint, alg, use sig) and
//     DIR/private.jwk.json (the private JWK, same kid and alg)
//   node client-assertion.mjs sign --key FILE --client ID --audience AUD [--exp-in SECONDS] [--kid KID]
//     prints one assertion: iss = sub = client_id, aud, jti random, iat now, exp now + SECONDS
//     (default 60); --kid overrides the header's kid (to sign with a key that is not the
//     registered one under the registered kid)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';

const { values: a, positionals } = parseArgs({
  options: {
    alg: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' },
    client: { type: 'string' }, audience: { type: 'string' }, 'exp-in': { type: 'string' },
    kid: { type: 'string' },
  },
  allowPositionals: true,
});

if (positionals[0] === 'keygen') {
  const { privateKey, publicKey } = await generateKeyPair(a.alg, { extractable: true });
  const pub = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(pub);
  writeFileSync(join(a.out, 'jwks.json'), JSON.stringify({ keys: [{ ...pub, kid, alg: a.alg, use: 'sig' }] }));
  const priv = await exportJWK(privateKey);
  writeFileSync(join(a.out, 'private.jwk.json'), JSON.stringify({ ...priv, kid, alg: a.alg }), { mode: 0o600 });
  console.log(kid);
} else if (positionals[0] === 'sign') {
  const jwk = JSON.parse(readFileSync(a.key, 'utf8'));
  const key = await importJWK(jwk, jwk.alg);
  const now = Math.floor(Date.now() / 1000);
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: jwk.alg, typ: 'JWT', kid: a.kid ?? jwk.kid })
    .setIssuer(a.client).setSubject(a.client).setAudience(a.audience)
    .setJti(randomUUID()).setIssuedAt(now).setExpirationTime(now + Number(a['exp-in'] ?? 60))
    .sign(key);
  console.log(assertion);
} else {
  console.error('usage: client-assertion.mjs keygen|sign ...');
  process.exit(2);
}
