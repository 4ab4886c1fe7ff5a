namespace LiveStyle.Tensors;

/// <summary>
/// A network part with named parameters and sub-modules, like torch.nn.Module: parameter names
/// are dotted paths ("res1.conv1.weight"), which is what state dicts and weight files use.
/// A module owns its parameters and frees them on Dispose.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Value)> _parameters = new();
    private readonly List<(string Name, Module Value)> _modules = new();

    public abstract Tensor Forward(Tensor input);

    protected Tensor RegisterParameter(string name, Tensor value)
    {
        _parameters.Add((name, value.DetachFromScope()));
        return value;
    }

    /// <summary>
    /// Whether a parameter must be cast to the input's dtype: under mixed precision the weights stay
    /// float32 (the master copy Adam updates) while activations are bf16, and the cast, being
    /// differentiable, carries the gradients back to float32. Inference at one precision never casts.
    /// </summary>
    protected static bool NeedsCast(Tensor parameter, Tensor input) => parameter.Dtype != input.Dtype;

    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        _modules.Add((name, module));
        return module;
    }

    public IEnumerable<(string Name, Tensor Value)> NamedParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var (prefix, m) in _modules)
        foreach (var (name, value) in m.NamedParameters())
            yield return ($"{prefix}.{name}", value);
    }

    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Value);

    /// <summary>Every sub-module by its dotted name ("res1.in2"), depth first.</summary>
    public IEnumerable<(string Name, Module Value)> NamedModules()
    {
        foreach (var (prefix, m) in _modules)
        {
            yield return (prefix, m);
            foreach (var (name, inner) in m.NamedModules()) yield return ($"{prefix}.{name}", inner);
        }
    }

    public long ParameterCount => Parameters().Sum(p => p.NumElements);

    /// <summary>Copies values in by name; every parameter must be present with its exact shape, and nothing else.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state)
    {
        var own = NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new StateDictException($"missing weights: {string.Join(", ", missing.Take(5))}");
        var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
        if (unexpected.Count > 0) throw new StateDictException($"unexpected weights: {string.Join(", ", unexpected.Take(5))}");
        using var noGrad = Torch.NoGrad();
        foreach (var (name, target) in own)
        {
            var source = state[name];
            if (!source.Shape.SequenceEqual(target.Shape))
                throw new StateDictException($"weight {name} has shape [{string.Join("x", source.Shape)}], " +
                                             $"the network expects [{string.Join("x", target.Shape)}]");
            target.CopyFrom(source);
        }
    }

    /// <summary>Moves and converts every parameter in place.</summary>
    public void To(Device device, ScalarType dtype)
    {
        using var noGrad = Torch.NoGrad();
        foreach (var p in Parameters())
        {
            var requiresGrad = p.RequiresGrad;
            p.Assign(p.To(device, dtype));
            if (requiresGrad) p.RequiresGrad = true;
        }
    }

    /// <summary>Re-lays out every 4-D parameter (convolution kernels) in place; other parameters have one layout.</summary>
    public void To(MemoryFormat format)
    {
        using var noGrad = Torch.NoGrad();
        foreach (var p in Parameters())
            if (p.Dim == 4) p.Assign(p.Contiguous(format));
    }

    public void SetRequiresGrad(bool on)
    {
        foreach (var p in Parameters()) p.RequiresGrad = on;
    }

    public virtual void Dispose()
    {
        foreach (var (_, p) in _parameters) p.Dispose();
        foreach (var (_, m) in _modules) m.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class StateDictException(string message) : Exception(message);
