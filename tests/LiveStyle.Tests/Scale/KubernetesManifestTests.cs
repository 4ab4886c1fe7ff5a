using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using LiveStyle.Tests.Support;

namespace LiveStyle.Tests.Scale;

/// <summary>
/// deploy/kubernetes could not be run on a cluster here: its manifests are read with the Kubernetes client's own typed
/// model (an unknown or mistyped field fails to load), and the fields the conversion depends on are checked.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static string Deploy(string file) => Path.Combine(TestPaths.RepoRoot, "deploy", "kubernetes", file);

    private static T Load<T>(string file) => KubernetesYaml.Deserialize<T>(File.ReadAllText(Deploy(file)), strict: true);

    [Fact]
    public void ThePartsAreAnIndexedJobWhoseIndexIsThePart()
    {
        var job = Load<V1Job>("parts-job.yaml");
        Assert.Equal(("batch/v1", "Job"), (job.ApiVersion, job.Kind));
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        var part = container.Args[container.Args.IndexOf("--part") + 1];
        Assert.Equal($"auto/{job.Spec.Completions}", part);
        Assert.Equal("convert", container.Args[0]);
        Assert.True(job.Spec.BackoffLimitPerIndex > 0, "a failed part is retried on its own");
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        AssertSharedVolume(job.Spec.Template.Spec, container);
        Assert.StartsWith("/data/", container.Args[container.Args.IndexOf("-o") + 1]);
    }

    [Fact]
    public void TheJoinReadsThePartsFolderThePartsWrite()
    {
        var parts = Load<V1Job>("parts-job.yaml").Spec.Template.Spec.Containers[0].Args;
        var join = Load<V1Job>("join-job.yaml");
        var container = Assert.Single(join.Spec.Template.Spec.Containers);
        Assert.Equal("join", container.Args[0]);
        Assert.Equal(parts[parts.IndexOf("-o") + 1], container.Args[1]);
        Assert.Null(join.Spec.CompletionMode);
        AssertSharedVolume(join.Spec.Template.Spec, container);
    }

    [Fact]
    public void TheVolumeIsSharedByEveryNodeAndTheImageIsBuiltBySetup()
    {
        var claim = Load<V1PersistentVolumeClaim>("volume.yaml");
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
        var dockerfile = File.ReadAllText(Deploy("Dockerfile"));
        Assert.Matches(new Regex(@"^FROM debian:12\b", RegexOptions.Multiline), dockerfile);
        Assert.Contains("./scripts/setup.sh", dockerfile);
        Assert.Throws<YamlDotNet.Core.YamlException>(() => KubernetesYaml.Deserialize<V1Job>("apiVersion: batch/v1\nkind: Job\nspec:\n  completionsMode: Indexed\n", strict: true));
    }

    private static void AssertSharedVolume(V1PodSpec pod, V1Container container)
    {
        var mount = Assert.Single(container.VolumeMounts);
        Assert.Equal("/data", mount.MountPath);
        var volume = Assert.Single(pod.Volumes, v => v.Name == mount.Name);
        Assert.Equal(Load<V1PersistentVolumeClaim>("volume.yaml").Metadata.Name, volume.PersistentVolumeClaim.ClaimName);
    }
}
