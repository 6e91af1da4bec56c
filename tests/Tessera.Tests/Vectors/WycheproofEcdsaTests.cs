using System.Formats.Asn1;
using System.Numerics;
using System.Text.Json;
using Tessera.Algorithms;

namespace Tessera.Tests.Vectors;

/// <summary>
/// Wycheproof ECDSA primitive vectors against the raw primitive under the JWS layer
/// (internal <see cref="JwsKey.Verify"/>; msg and sig are raw bytes, not a JWS signing input).
///
/// P1363 files (ES256/ES384/ES512, the JWS signature form R‖S): each group's SPKI PEM is
/// imported bound to the file's algorithm (the JWK form, when given, must give the same key);
/// "valid" must verify and "invalid" must not. Valid includes the high-S twin (docs/ATTACKS.md C10:
/// JOSE has no low-S rule). These files have no "acceptable" results.
///
/// DER file (ecdsa_secp256r1_sha256_test.json): docs/ATTACKS.md C08. Not one signature in it, valid or
/// invalid, may verify through the P1363-only path (no valid DER signature is 64 bytes long, and
/// a JWS never carries DER). As a control, each valid DER signature re-encoded as R‖S must then
/// verify with the same key and message: the refusal is about the encoding, nothing else.
/// </summary>
public sealed class WycheproofEcdsaTests(ITestOutputHelper output)
{
    private const string P256 = "wycheproof/ecdsa_secp256r1_sha256_p1363_test.json";
    private const string P384 = "wycheproof/ecdsa_secp384r1_sha384_p1363_test.json";
    private const string P521 = "wycheproof/ecdsa_secp521r1_sha512_p1363_test.json";
    private const string Der = "wycheproof/ecdsa_secp256r1_sha256_test.json";

    public static TheoryData<int> P256Vectors => VectorFile.TcIds(P256);

    public static TheoryData<int> P384Vectors => VectorFile.TcIds(P384);

    public static TheoryData<int> P521Vectors => VectorFile.TcIds(P521);

    public static TheoryData<int> DerVectors => VectorFile.TcIds(Der);

    [Theory]
    [MemberData(nameof(P256Vectors))]
    public void ES256_P1363Vector_VerifiesExactlyWhenValid(int tcId) => CheckP1363(P256, JwsAlgorithm.ES256, tcId);

    [Theory]
    [MemberData(nameof(P384Vectors))]
    public void ES384_P1363Vector_VerifiesExactlyWhenValid(int tcId) => CheckP1363(P384, JwsAlgorithm.ES384, tcId);

    [Theory]
    [MemberData(nameof(P521Vectors))]
    public void ES512_P1363Vector_VerifiesExactlyWhenValid(int tcId) => CheckP1363(P521, JwsAlgorithm.ES512, tcId);

    [Theory]
    [MemberData(nameof(DerVectors))]
    public void ES256_DerSignature_NeverVerifies_ButItsRawForm_DoesWhenValid(int tcId)
    {
        JsonDocument doc = VectorFile.Open(Der);
        (JsonElement group, JsonElement test) = VectorFile.Find(doc, tcId);
        PrimitiveKeys.Imported imported = PrimitiveKeys.For(group, JwsAlgorithm.ES256);
        Assert.Null(imported.Error);
        byte[] msg = VectorFile.Hex(test, "msg");
        byte[] der = VectorFile.Hex(test, "sig");
        bool valid = VectorFile.Str(test, "result") == "valid";
        bool verified = imported.Key!.Verify(msg, der);
        output.WriteLine($"tcId {tcId} {VectorFile.Str(test, "comment")} [{string.Join(",", VectorFile.Flags(test))}] label={VectorFile.Str(test, "result")} der-bytes={der.Length} verified={verified}");

        Assert.False(verified);
        if (valid)
        {
            Assert.True(imported.Key.Verify(msg, ToP1363(der, 32)));
        }
    }

    [Fact]
    public void EcdsaFiles_P1363VerifiesExactlyTheValidVectors_DerVerifiesNone()
    {
        foreach ((string file, JwsAlgorithm alg) in new[] { (P256, JwsAlgorithm.ES256), (P384, JwsAlgorithm.ES384), (P521, JwsAlgorithm.ES512), (Der, JwsAlgorithm.ES256) })
        {
            JsonDocument doc = VectorFile.Open(file);
            var rows = VectorFile.Tests(doc).ToList();
            int groups = doc.RootElement.GetProperty("testGroups").GetArrayLength();
            var valid = rows.Where(r => VectorFile.Str(r.Test, "result") == "valid").Select(VectorFile.TcId).ToList();
            int invalid = rows.Count(r => VectorFile.Str(r.Test, "result") == "invalid");
            var verified = rows.Where(r => PrimitiveKeys.For(r.Group, alg).Key?.Verify(VectorFile.Hex(r.Test, "msg"), VectorFile.Hex(r.Test, "sig")) == true).Select(VectorFile.TcId).ToList();
            VectorFile.Summary(output, file, $"{alg.Name}: {rows.Count} vectors in {groups} groups ({valid.Count} valid, {invalid} invalid); verified {verified.Count}, rejected {rows.Count - verified.Count}");
            Assert.Equal(VectorFile.DeclaredCount(doc), rows.Count);
            Assert.Equal(rows.Count, valid.Count + invalid);
            if (file == Der)
            {
                // docs/ATTACKS.md C08: a DER signature never verifies on the JWS (P1363) path, valid or not.
                Assert.Empty(verified);
                Assert.NotEmpty(valid);
            }
            else
            {
                Assert.Equal(valid.Count, verified.Count);
                Assert.Equal(invalid, rows.Count - verified.Count);
                Assert.Equal(valid, verified);
            }
        }
    }

    /// <summary>A DER ECDSA-Sig-Value (RFC 3279) as fixed-length R‖S (RFC 7518 §3.4).</summary>
    private static byte[] ToP1363(byte[] der, int fieldBytes)
    {
        var outer = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader seq = outer.ReadSequence();
        BigInteger r = seq.ReadInteger();
        BigInteger s = seq.ReadInteger();
        seq.ThrowIfNotEmpty();
        outer.ThrowIfNotEmpty();
        byte[] raw = new byte[2 * fieldBytes];
        Put(r, raw.AsSpan(0, fieldBytes));
        Put(s, raw.AsSpan(fieldBytes));
        return raw;

        static void Put(BigInteger v, Span<byte> dest)
        {
            byte[] bytes = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            Assert.True(bytes.Length <= dest.Length, "a valid signature's r and s fit the field");
            bytes.CopyTo(dest[(dest.Length - bytes.Length)..]);
        }
    }

    private void CheckP1363(string file, JwsAlgorithm algorithm, int tcId)
    {
        JsonDocument doc = VectorFile.Open(file);
        (JsonElement group, JsonElement test) = VectorFile.Find(doc, tcId);
        PrimitiveKeys.Imported imported = PrimitiveKeys.For(group, algorithm);
        Assert.Null(imported.Error);
        Assert.Null(imported.Disagreement);
        string result = VectorFile.Str(test, "result");
        byte[] sig = VectorFile.Hex(test, "sig");
        bool verified = imported.Key!.Verify(VectorFile.Hex(test, "msg"), sig);
        output.WriteLine($"tcId {tcId} {VectorFile.Str(test, "comment")} [{string.Join(",", VectorFile.Flags(test))}] label={result} sig-bytes={sig.Length} verified={verified}");

        Assert.Contains(result, new[] { "valid", "invalid" });
        Assert.Equal(result == "valid", verified);
    }
}
