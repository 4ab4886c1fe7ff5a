using System.Globalization;

namespace LiveStyle.Train.Loss;

/// <summary>Named layers with weights, written as "relu1_1,relu2_1:0.5" (a layer without a weight weighs 1).</summary>
public sealed record LayerSelection(IReadOnlyList<(string Layer, double Weight)> Layers)
{
    public IReadOnlyList<string> Names => Layers.Select(l => l.Layer).ToList();

    public static LayerSelection Parse(string text)
    {
        var layers = new List<(string, double)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.IndexOf(':');
            var weight = 1.0;
            if (colon >= 0 && (!double.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight > 0) || double.IsInfinity(weight)))
                throw new ArgumentException($"'{part}' needs a positive weight after the colon");
            layers.Add((colon < 0 ? part : part[..colon], weight));
        }
        if (layers.Count == 0) throw new ArgumentException("name at least one layer");
        return new LayerSelection(layers);
    }

    /// <summary>Fails with the network's layer names when one of these is not among them.</summary>
    public LayerSelection CheckedAgainst(ILossNetwork network, string option)
    {
        foreach (var (name, _) in Layers)
            if (!network.Layers.Contains(name))
                throw new ArgumentException($"{option}: {network.Name} has no layer '{name}'; its layers are {string.Join(", ", network.Layers)}");
        return this;
    }

    public override string ToString() =>
        string.Join(",", Layers.Select(l => l.Weight == 1 ? l.Layer : $"{l.Layer}:{l.Weight.ToString(CultureInfo.InvariantCulture)}"));
}
