// SPEC §4/§6: without a configuration file, `serve` runs a development profile entirely under
// ./var: keys made on first start, a self-signed certificate for localhost and 127.0.0.1, the
// embedded revocation store, and one demo client whose secret is printed once. The profile is
// an ordinary auth.json (./var/auth.json), so what runs is exactly what production runs.
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Server.Clients;
using Tessera.Keys;
using Tessera.Server.Configuration;

namespace Tessera.Server;

/// <summary>Prepares ./var for the development profile.</summary>
public static class DevelopmentProfile
{
    /// <summary>The development listen address.</summary>
    public const string Url = "https://127.0.0.1:8443";

    /// <summary>The demo client's id.</summary>
    public const string DemoClient = "demo";

    /// <summary>The demo audience.</summary>
    public const string DemoAudience = "demo-api";

    /// <summary>
    /// Creates what is missing under <paramref name="root"/> and returns the config path. On the
    /// first start, <paramref name="announce"/> receives the demo client's secret (shown once).
    /// </summary>
    public static string Prepare(string root, TextWriter announce)
    {
        ArgumentNullException.ThrowIfNull(announce);
        string dir = Path.GetFullPath(root);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // An existing ./var is used only if no one else could have changed it.
        ConfigLoader.CheckOwnedAndNotWritableByOthers(dir, "development profile directory", "700");
        string config = Path.Combine(dir, "auth.json");
        string cert = Path.Combine(dir, "tls", "server.crt");
        string key = Path.Combine(dir, "tls", "server.key");
        if (!File.Exists(cert) || !File.Exists(key))
        {
            WriteCertificate(cert, key);
        }

        if (File.Exists(config))
        {
            return config;
        }

        (string secret, string hash) = ClientSecret.Generate();
        var json = new JsonObject
        {
            ["issuer"] = Url,
            ["audiences"] = new JsonArray(DemoAudience),
            ["listen"] = Url,
            ["keys"] = new JsonObject { ["dir"] = Path.Combine(dir, "keys") },
            ["revocation"] = new JsonObject { ["store"] = "sqlite:" + Path.Combine(dir, "revocations.db"), ["journal"] = Path.Combine(dir, "revocation-journal.db") },
            ["tls"] = new JsonObject { ["cert"] = cert, ["key"] = key },
            ["security_log"] = Path.Combine(dir, "security.log"),
            ["clients"] = new JsonArray(new JsonObject
            {
                ["id"] = DemoClient,
                ["secret_hash"] = hash,
                ["scopes"] = new JsonArray("demo:read", "demo:write"),
                ["audiences"] = new JsonArray(DemoAudience),
            }),
        };
        AtomicFile.Write(config, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        announce.WriteLine($"development profile created in {dir}");
        announce.WriteLine($"demo client: id {DemoClient}, secret {secret}   (shown once; only its hash is stored)");
        return config;
    }

    private static void WriteCertificate(string certPath, string keyPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(certPath)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        using X509Certificate2 cert = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        // The private key file is created with mode 0600 from the start (no looser window).
        AtomicFile.Write(keyPath, ecdsa.ExportPkcs8PrivateKeyPem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AtomicFile.Write(certPath, cert.ExportCertificatePem() + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }
}
