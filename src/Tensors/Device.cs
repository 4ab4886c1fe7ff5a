namespace LiveStyle.Tensors;

/// <summary>Where a tensor lives: the CPU, or CUDA device <see cref="Index"/>.</summary>
public readonly record struct Device(int Index)
{
    public static readonly Device Cpu = new(-1);
    public static Device Cuda(int index = 0) => new(index);

    public bool IsCuda => Index >= 0;

    /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
    public static Device Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return Cpu;
        if (t == "cuda") return Cuda();
        if (t.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(t[5..], out var n) && n >= 0) return Cuda(n);
        throw new ArgumentException($"unknown device '{text}': use cpu, cuda or cuda:N");
    }

    public override string ToString() => IsCuda ? $"cuda:{Index}" : "cpu";
}
