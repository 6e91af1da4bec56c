// The validator of a resource server (docs/SPEC.md §9): Tessera's one pipeline (TokenValidator,
// §2) over the keys of a JwksClient. A token whose kid is unknown gets one more try after the
// client's shared refetch, so the first request signed by a key that was never pre-published
// (an emergency rotation) succeeds; a forged kid costs at most the client's rate-limited fetch.
using Tessera.Keys;
using Tessera.Revocation;
using Tessera.Validation;

namespace Tessera.Jwks;

/// <summary>Validates tokens with the keys of a <see cref="JwksClient"/>.</summary>
public sealed class EdgeValidator
{
    private readonly TokenValidator _validator;

    /// <summary>Creates the validator; throws <see cref="ArgumentException"/> listing option problems.</summary>
    public EdgeValidator(ValidationOptions options, JwksClient keys, TimeProvider? time = null, IRevocationList? revocations = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Jwks = keys;
        _validator = new TokenValidator(options, new KeySet([]), time, revocations);
    }

    /// <summary>The key source.</summary>
    public JwksClient Jwks { get; }

    /// <summary>The policy.</summary>
    public ValidationOptions Options => _validator.Options;

    /// <summary>
    /// The pipeline's answer for <paramref name="token"/>, or null when this validator cannot
    /// decide: it has no usable key set (never fetched, or stale past the limit). A host answers
    /// null with 503, never with 401 or 200.
    /// </summary>
    public async ValueTask<ValidationResult?> ValidateAsync(string? token, CancellationToken cancel = default)
    {
        if (!Use(await Jwks.GetKeysAsync(cancel).ConfigureAwait(false)))
        {
            return null;
        }

        ValidationResult result = _validator.Validate(token);
        if (result.Error == ValidationError.UnknownKey && await Jwks.RefreshForUnknownKeyAsync(cancel).ConfigureAwait(false) && Use(Jwks.Keys))
        {
            result = _validator.Validate(token);
        }

        return result;
    }

    private bool Use(KeySet? keys)
    {
        if (keys is null)
        {
            return false;
        }

        if (!ReferenceEquals(keys, _validator.Keys))
        {
            _validator.UpdateKeys(keys);
        }

        return true;
    }
}
