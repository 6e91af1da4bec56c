using System.Diagnostics;

namespace Tessera.Cli.Operations;

/// <summary>Doctor checks on the host: clock sync, AES-NI, OpenSSL, kernel.</summary>
internal static class SystemChecks
{
    public static IEnumerable<DoctorCheck> Run()
    {
        yield return Clock();
        yield return AesNi();
        yield return OpenSsl();
        yield return Kernel();
    }

    // timedatectl (systemd-timesyncd or any NTP client systemd knows), else chronyc, else ntpq.
    private static DoctorCheck Clock()
    {
        if (Run("timedatectl", "show", "-p", "NTPSynchronized", "--value") is string synced)
        {
            return synced.Trim() == "yes"
                ? new("clock sync", DoctorStatus.Pass, "timedatectl: NTP synchronized")
                : new("clock sync", DoctorStatus.Fail, "timedatectl: NTP not synchronized", "systemctl enable --now systemd-timesyncd (or chrony)");
        }

        if (Run("chronyc", "tracking") is string tracking)
        {
            return tracking.Contains("Leap status     : Normal", StringComparison.Ordinal)
                ? new("clock sync", DoctorStatus.Pass, "chronyc: synchronised")
                : new("clock sync", DoctorStatus.Fail, "chronyc: not synchronised", "check chronyc sources");
        }

        if (Run("ntpq", "-pn") is string peers)
        {
            return peers.Split('\n').Any(l => l.StartsWith('*'))
                ? new("clock sync", DoctorStatus.Pass, "ntpq: a system peer is selected")
                : new("clock sync", DoctorStatus.Fail, "ntpq: no system peer", "check ntpq -p");
        }

        return new("clock sync", DoctorStatus.Warn, "unknown: none of timedatectl, chronyc, ntpq answered", "install and enable systemd-timesyncd or chrony");
    }

    private static DoctorCheck AesNi()
    {
        const string CpuInfo = "/proc/cpuinfo";
        if (!File.Exists(CpuInfo))
        {
            return new("AES-NI", DoctorStatus.Warn, "unknown: no /proc/cpuinfo");
        }

        bool aes = File.ReadLines(CpuInfo).Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains("aes"));
        return aes
            ? new("AES-NI", DoctorStatus.Pass, "the CPU has AES instructions")
            : new("AES-NI", DoctorStatus.Warn, "no aes flag in /proc/cpuinfo", "TLS will be slower; prefer hosts with AES-NI");
    }

    private static DoctorCheck OpenSsl()
    {
        long v;
        try
        {
            v = Doctor.OpenSslVersion();
        }
        catch (PlatformNotSupportedException)
        {
            return new("OpenSSL", DoctorStatus.Fail, "the runtime is not using OpenSSL", "run on Linux with OpenSSL 3");
        }

        string text = Doctor.OpenSslVersionText(v);
        return (v >> 28) >= 3
            ? new("OpenSSL", DoctorStatus.Pass, $"the runtime loaded OpenSSL {text}")
            : new("OpenSSL", DoctorStatus.Fail, $"the runtime loaded OpenSSL {text}", "install OpenSSL 3.0 or newer (libssl3)");
    }

    private static DoctorCheck Kernel()
    {
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.Version.ToString();
        string[] parts = release.Split('.', '-');
        bool ok = parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor)
            && (major > 5 || (major == 5 && minor >= 10));
        return ok
            ? new("kernel", DoctorStatus.Pass, $"Linux {release}")
            : new("kernel", DoctorStatus.Fail, $"Linux {release}", "upgrade to kernel 5.10 or newer");
    }

    private static string? Run(string program, params string[] args)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using Process? p = Process.Start(start);
            if (p is null)
            {
                return null;
            }

            string output = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(5000))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }

            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
