// Passphrase files made and opened by jose (npm), an independent JOSE library, for tests/test_protected_file.py.
// Called through node_driver.py's call(): plain strings in and out; plaintexts travel as base64 so the Python
// side compares bytes, not text.
import * as jose from "jose";

const ALG = "PBES2-HS512+A256KW";
const ENC = "A256GCM";
const utf8 = (s) => new TextEncoder().encode(s);
// jose refuses more than 10,000 derivation rounds unless told; Passo's files carry 210,000.
const LIMITS = { maxPBES2Count: 1000000, keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC] };

/** A flattened JSON JWE of `text` under the passphrase's exact UTF-8 bytes (no normalisation). */
export async function protectFlattened(text, passphrase, p2c) {
  const jwe = await new jose.FlattenedEncrypt(utf8(text))
    .setProtectedHeader({ alg: ALG, enc: ENC, cty: "application/json" })
    .setKeyManagementParameters({ p2c })
    .encrypt(utf8(passphrase));
  return JSON.stringify(jwe);
}

/** The same as a compact JWE. */
export async function protectCompact(text, passphrase, p2c) {
  return new jose.CompactEncrypt(utf8(text))
    .setProtectedHeader({ alg: ALG, enc: ENC, cty: "application/json" })
    .setKeyManagementParameters({ p2c })
    .encrypt(utf8(passphrase));
}

/** The plaintext bytes (base64) of a flattened JSON JWE, as jose opens it. */
export async function openFlattened(text, passphrase) {
  const { plaintext } = await jose.flattenedDecrypt(JSON.parse(text), utf8(passphrase), LIMITS);
  return Buffer.from(plaintext).toString("base64");
}
