// A backend that cannot be used safely is refused with a message that says why and never shows
// the PIN: a PIN file others can read, a wrong PIN, a token that is not there.
using Tessera.Keys.Pkcs11;

namespace Tessera.IntegrationTests.Hsm;

[Collection(SoftHsmGroup.Name)]
public sealed class HsmRefusalTests(SoftHsm hsm)
{
    [Fact]
    public void A_pin_file_readable_by_others_is_refused()
    {
        string pinFile = hsm.WritePin("pin-0644", SoftHsm.Pins[0], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = Assert.Throws<HsmException>(() => Pkcs11Backend.Open(hsm.Module, SoftHsm.Token, pinFile));
        Assert.Contains("0600", e.Message, StringComparison.Ordinal);
        Assert.Contains("644", e.Message, StringComparison.Ordinal);
        NoPin(e);
    }

    [Fact]
    public void A_wrong_pin_is_refused_without_showing_it()
    {
        string pinFile = hsm.WritePin("pin-wrong", SoftHsm.Pins[2], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<HsmException>(() => Pkcs11Backend.Open(hsm.Module, SoftHsm.OtherToken, pinFile));
        Assert.Contains("refused the PIN", e.Message, StringComparison.Ordinal);
        Assert.Contains(SoftHsm.OtherToken, e.Message, StringComparison.Ordinal);
        NoPin(e);
    }

    [Fact]
    public void A_wrong_pin_is_refused_even_when_the_token_is_already_logged_in_in_this_process()
    {
        // The fixture's backend holds a login on Token; PKCS#11 would answer
        // CKR_USER_ALREADY_LOGGED_IN to any PIN, so the backend must check it itself.
        string pinFile = hsm.WritePin("pin-wrong-2", SoftHsm.Pins[2], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var e = Assert.Throws<HsmException>(() => Pkcs11Backend.Open(hsm.Module, SoftHsm.Token, pinFile));
        Assert.Contains("refused the PIN", e.Message, StringComparison.Ordinal);
        NoPin(e);
        using Pkcs11Backend second = Pkcs11Backend.Open(hsm.Module, SoftHsm.Token, hsm.PinFile);
        Assert.Equal(SoftHsm.Token, second.Token);
    }

    [Fact]
    public void A_missing_token_is_named_with_the_tokens_that_are_there()
    {
        var e = Assert.Throws<HsmException>(() => Pkcs11Backend.Open(hsm.Module, "no-such-token", hsm.PinFile));
        Assert.Contains("no-such-token", e.Message, StringComparison.Ordinal);
        Assert.Contains(SoftHsm.Token, e.Message, StringComparison.Ordinal);
        NoPin(e);
    }

    [Fact]
    public void The_same_module_under_another_name_is_loaded_once()
    {
        // Debian links /usr/lib/softhsm/libsofthsm2.so to the multiarch file: a second C_Initialize
        // of the same library would fail with CKR_CRYPTOKI_ALREADY_INITIALIZED.
        string? target = new FileInfo(hsm.Module).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        string link = Path.Combine(hsm.Directory, "module-link.so");
        if (!File.Exists(link))
        {
            File.CreateSymbolicLink(link, target ?? hsm.Module);
        }

        using Pkcs11Backend other = Pkcs11Backend.Open(link, SoftHsm.Token, hsm.PinFile);
        Assert.Null(other.Describe("no-such-kid"));
    }

    [Fact]
    public void A_missing_module_is_a_clear_error()
    {
        var e = Assert.Throws<HsmException>(() => Pkcs11Backend.Open("/nonexistent/libpkcs11.so", SoftHsm.Token, hsm.PinFile));
        Assert.Contains("/nonexistent/libpkcs11.so", e.Message, StringComparison.Ordinal);
    }

    private static void NoPin(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            foreach (string pin in SoftHsm.Pins)
            {
                Assert.DoesNotContain(pin, x.ToString(), StringComparison.Ordinal);
            }
        }
    }
}
