// The keys one deny list uses in Redis (docs/operations.md, "Revocation at scale"), all under one
// prefix P (default "tessera:revocation:"):
//   P jti:<jti>   string: the Unix time the entry may drop off; EXPIREAT that time, so Redis drops it
//   P cutoffs     hash: "issuer", "sub:<id>", "client:<id>" -> the first iat not refused
//   P log         stream, server-timed IDs, trimmed by age (MINID): one entry per write, fields
//                 k ("j" jti or "c" cutoff), i (the jti or the cutoffs field), t (the time)
//   P epoch       string: a random id written by the first writer; when Redis loses its data the
//                 key is gone (or replaced), which tells issuers to re-seed and readers to re-read
//   P events      pub/sub channel: "a write happened", only ever a hint to sync early
// Writes are Lua scripts so the value, the log entry and the epoch change together.
using System.Globalization;
using StackExchange.Redis;

namespace Tessera.Revocation.Redis;

internal sealed class RedisLayout(string prefix)
{
    /// <summary>How long the log keeps an entry: readers further behind re-read everything.</summary>
    public const long LogRetentionSeconds = 3600;

    // KEYS: jti key, log, epoch. ARGV: jti, until, retention (s), epoch candidate.
    // Returns 1 when the jti was not listed yet, 0 when it was (or already expired on Redis' clock).
    public const string RevokeJtiScript = """
        local now = tonumber(redis.call('TIME')[1])
        redis.call('SET', KEYS[3], ARGV[4], 'NX')
        local t = tonumber(ARGV[2])
        local cur = redis.call('GET', KEYS[1])
        local c = 0
        if cur then
          c = tonumber(cur)
          if not c then return redis.error_reply('ERR tessera: ' .. KEYS[1] .. ' holds a value that is not a Tessera expiry') end
        end
        if t <= now then return 0 end
        if t > c then redis.call('SET', KEYS[1], ARGV[2], 'EXAT', ARGV[2]) end
        redis.call('XADD', KEYS[2], 'MINID', '~', tostring((now - tonumber(ARGV[3])) * 1000), '*', 'k', 'j', 'i', ARGV[1], 't', ARGV[2])
        if cur then return 0 end
        return 1
        """;

    // KEYS: cutoffs hash, log, epoch. ARGV: field, before, retention (s), epoch candidate.
    // Returns 1 when the cutoff moved later, 0 when it already was at least that late.
    public const string CutoffScript = """
        local now = tonumber(redis.call('TIME')[1])
        redis.call('SET', KEYS[3], ARGV[4], 'NX')
        local t = tonumber(ARGV[2])
        local cur = redis.call('HGET', KEYS[1], ARGV[1])
        if cur then
          local c = tonumber(cur)
          if not c then return redis.error_reply('ERR tessera: ' .. KEYS[1] .. ' field ' .. ARGV[1] .. ' is not a Tessera time') end
          if c >= t then return 0 end
        end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('XADD', KEYS[2], 'MINID', '~', tostring((now - tonumber(ARGV[3])) * 1000), '*', 'k', 'c', 'i', ARGV[1], 't', ARGV[2])
        return 1
        """;

    public string Prefix { get; } = prefix;

    public RedisKey JtiPrefix => Prefix + "jti:";

    public RedisKey Cutoffs => Prefix + "cutoffs";

    public RedisKey Log => Prefix + "log";

    public RedisKey Epoch => Prefix + "epoch";

    public RedisChannel Events => RedisChannel.Literal(Prefix + "events");

    public RedisKey Jti(string jti) => Prefix + "jti:" + jti;

    public static string Field(CutoffScope scope, string? id) => scope switch
    {
        CutoffScope.Issuer => "issuer",
        CutoffScope.Subject => "sub:" + id,
        _ => "client:" + id,
    };

    /// <summary>A cutoffs field and its value as an entry; false for anything Tessera did not write.</summary>
    public static bool TryCutoff(string? field, string? value, out RevocationEntry entry)
    {
        entry = default;
        if (field is null || !TryTime(value, out long time))
        {
            return false;
        }

        if (field == "issuer")
        {
            entry = RevocationEntry.ForCutoff(CutoffScope.Issuer, null, time);
            return true;
        }

        (CutoffScope scope, string prefix) = field.StartsWith("sub:", StringComparison.Ordinal) ? (CutoffScope.Subject, "sub:") : (CutoffScope.Client, "client:");
        if (!field.StartsWith(prefix, StringComparison.Ordinal) || field.Length == prefix.Length)
        {
            return false;
        }

        entry = RevocationEntry.ForCutoff(scope, field[prefix.Length..], time);
        return true;
    }

    /// <summary>A jti key's name and value as an entry; false for anything Tessera did not write.</summary>
    public bool TryJti(string? key, string? value, out RevocationEntry entry)
    {
        entry = default;
        string jtiPrefix = Prefix + "jti:";
        if (key is null || !key.StartsWith(jtiPrefix, StringComparison.Ordinal) || key.Length == jtiPrefix.Length || !TryTime(value, out long until))
        {
            return false;
        }

        entry = RevocationEntry.ForJti(key[jtiPrefix.Length..], until);
        return true;
    }

    /// <summary>A log entry as a deny-list entry; false for anything Tessera did not write.</summary>
    public static bool TryLogEntry(StreamEntry log, out RevocationEntry entry)
    {
        entry = default;
        string? kind = log["k"];
        string? id = log["i"];
        string? time = log["t"];
        if (kind == "j" && !string.IsNullOrEmpty(id) && TryTime(time, out long until))
        {
            entry = RevocationEntry.ForJti(id, until);
            return true;
        }

        return kind == "c" && TryCutoff(id, time, out entry);
    }

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool TryTime(string? value, out long time) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out time) && time > 0;
}
