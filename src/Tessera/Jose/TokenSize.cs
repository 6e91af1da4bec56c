// RFC 8725 §3.1 leaves token size to the application; an upper bound keeps every parser and
// allocation on the pipeline bounded before anything is decoded (SPEC §2, step 1).
namespace Tessera.Jose;

/// <summary>The token size limits shared by issuance and validation (SPEC §2, §4 <c>max_token_size</c>).</summary>
public static class TokenSize
{
    /// <summary>The default limit: 8 KiB.</summary>
    public const int Default = 8 * 1024;

    /// <summary>The smallest limit that may be configured.</summary>
    public const int Min = 256;

    /// <summary>The largest limit that may be configured: 64 KiB.</summary>
    public const int Max = 64 * 1024;
}
