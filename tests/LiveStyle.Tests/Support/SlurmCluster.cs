using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LiveStyle.Tests.Support;

/// <summary>
/// A real one-node Slurm cluster on this machine (Debian's slurm-wlm and munge), for the time of a test: its own munge
/// key and socket, controller and node on 127.0.0.1 on free ports, state, spool and logs in a temporary folder; as root,
/// with process tracking by /proc and no cgroups (what these machines allow). Disposing cancels every job, stops the
/// daemons and removes the folder, whatever the test did.
/// </summary>
public sealed partial class SlurmCluster : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<Process> _daemons = [];

    public SlurmCluster()
    {
        try { Start(); }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Config => _dir["slurm.conf"];
    public string Folder => _dir.Path;

    /// <summary>Environment for sbatch, squeue and the jobs: this cluster's configuration.</summary>
    public Dictionary<string, string> Environment => new() { ["SLURM_CONF"] = Config };

    private void Start()
    {
        foreach (var sub in new[] { "state", "spool", "log" }) Directory.CreateDirectory(_dir[sub]);
        File.WriteAllBytes(_dir["munge.key"], System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(_dir["munge.key"], UnixFileMode.UserRead);
        Run("munged", "--force", "-S", _dir["munge.sock"], $"--key-file={_dir["munge.key"]}", $"--pid-file={_dir["munged.pid"]}",
            $"--log-file={_dir["log/munged.log"]}", $"--seed-file={_dir["munged.seed"]}");
        var host = Run("hostname", "-s").Trim();
        var (controllerPort, nodePort) = (Background.FreePort(), Background.FreePort());
        File.WriteAllText(Config, $"""
            ClusterName=livestyle-test
            SlurmctldHost={host}(127.0.0.1)
            SlurmUser=root
            SlurmdUser=root
            SlurmctldPort={controllerPort}
            SlurmdPort={nodePort}
            AuthType=auth/munge
            AuthInfo=socket={_dir["munge.sock"]}
            CredType=cred/munge
            StateSaveLocation={_dir["state"]}
            SlurmdSpoolDir={_dir["spool"]}
            SlurmctldPidFile={_dir["slurmctld.pid"]}
            SlurmdPidFile={_dir["slurmd.pid"]}
            SlurmctldLogFile={_dir["log/slurmctld.log"]}
            SlurmdLogFile={_dir["log/slurmd.log"]}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SchedulerType=sched/backfill
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            MpiDefault=none
            MailProg=/bin/true
            JobCompType=jobcomp/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            MinJobAge=3600
            NodeName=livestyle-node NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} State=UNKNOWN
            PartitionName=main Nodes=ALL Default=YES MaxTime=INFINITE State=UP

            """);
        File.WriteAllText(_dir["cgroup.conf"], "CgroupPlugin=cgroup/v1\nIgnoreSystemd=yes\n");
        _daemons.Add(Daemon("slurmctld", "-D"));
        _daemons.Add(Daemon("slurmd", "-D", "-N", "livestyle-node"));
        var clock = Stopwatch.StartNew();
        while (!Run("sinfo", "-h", "-o", "%T").Contains("idle"))
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"the Slurm node did not come up:\n{File.ReadAllText(_dir["log/slurmctld.log"])}");
            Thread.Sleep(250);
        }
    }

    /// <summary>Runs a Slurm (or other) command against this cluster; its standard output.</summary>
    public string Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = Config;
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0 && command != "sinfo") throw new InvalidOperationException($"{command} {string.Join(' ', args)}: {error.Result}");
        return output.Result;
    }

    private Process Daemon(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = Config;
        var p = Process.Start(info)!;
        _ = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        return p;
    }

    /// <summary>A job's state as the controller keeps it (COMPLETED, FAILED, PENDING...).</summary>
    public string State(string job) => JobState().Match(Run("scontrol", "show", "job", job)) is { Success: true } m ? m.Groups[1].Value : "UNKNOWN";

    /// <summary>Waits until no job of this cluster is pending or running.</summary>
    public void WaitForIdle(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (Run("squeue", "-h", "-t", "PENDING,RUNNING,CONFIGURING,COMPLETING").Trim().Length > 0)
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"jobs still queued after {timeout}:\n{Run("squeue")}");
            Thread.Sleep(500);
        }
    }

    [GeneratedRegex(@"JobState=(\w+)")]
    private static partial Regex JobState();

    public void Dispose()
    {
        try { Run("scancel", "--full", "-u", "root"); } catch (Exception) { }
        foreach (var d in _daemons)
        {
            try { if (!d.HasExited) d.Kill(entireProcessTree: true); d.WaitForExit(5000); } catch (Exception) { }
            d.Dispose();
        }
        // Job steps outlive a killed slurmd: end those of this cluster (their environment names its configuration).
        foreach (var p in Process.GetProcesses())
        {
            try
            {
                var environ = File.ReadAllText($"/proc/{p.Id}/environ");
                if (environ.Contains("SLURM_CONF=" + Config, StringComparison.Ordinal) || p.ProcessName == "slurmstepd") p.Kill(entireProcessTree: true);
            }
            catch (Exception) { }
            finally { p.Dispose(); }
        }
        try
        {
            if (File.Exists(_dir["munged.pid"]) && int.TryParse(File.ReadAllText(_dir["munged.pid"]).Trim(), out var pid)) Process.GetProcessById(pid).Kill();
        }
        catch (Exception) { }
        _dir.Dispose();
    }
}
