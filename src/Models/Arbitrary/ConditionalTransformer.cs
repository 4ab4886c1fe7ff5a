using System.Globalization;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Networks;

namespace LiveStyle.Models.Arbitrary;

/// <summary>One conditional instance norm: its scale γ = W_γ·s + b_γ and shift β = W_β·s + b_β from the style vector s.</summary>
public sealed record StyleNormProjection(string Norm, HostTensor GammaWeight, HostTensor GammaBias, HostTensor BetaWeight, HostTensor BetaBias)
{
    public float[] Gamma(ReadOnlySpan<float> style) => Project(GammaWeight, GammaBias, style);
    public float[] Beta(ReadOnlySpan<float> style) => Project(BetaWeight, BetaBias, style);

    private static float[] Project(HostTensor weight, HostTensor bias, ReadOnlySpan<float> style)
    {
        var (channels, size) = ((int)weight.Shape[0], (int)weight.Shape[1]);
        if (style.Length != size) throw new ArgumentException($"a style vector of {style.Length} numbers; this network takes {size}");
        var result = new float[channels];
        for (var c = 0; c < channels; c++)
        {
            double sum = bias.Data[c];
            for (var j = 0; j < size; j++) sum += (double)weight.Data[c * size + j] * style[j];
            result[c] = (float)sum;
        }
        return result;
    }
}

/// <summary>
/// Magenta's style transformer as data: the convolutions (in <see cref="TransformNet"/>'s names, for 0..255 images)
/// and, for each conditional instance norm, the projections of the style vector onto its scale and shift. For one
/// style vector the norms become plain instance norms (<see cref="Fold"/>): a <see cref="TransformNet"/> like any other.
/// </summary>
public sealed record ConditionalTransformer(TransformNetConfig Config, IReadOnlyDictionary<string, HostTensor> Convolutions,
    IReadOnlyList<StyleNormProjection> Norms, int StyleSize, string Licence)
{
    /// <summary>The network's weights with <paramref name="style"/>'s scales and shifts in its norms.</summary>
    public Dictionary<string, HostTensor> Fold(ReadOnlySpan<float> style)
    {
        if (style.Length != StyleSize) throw new ArgumentException($"a style vector of {style.Length} numbers; this network takes {StyleSize}");
        foreach (var v in style)
            if (!float.IsFinite(v)) throw new ArgumentException("the style vector holds a value that is not a finite number");
        var weights = new Dictionary<string, HostTensor>(Convolutions);
        foreach (var norm in Norms)
        {
            var gamma = norm.Gamma(style);
            var beta = norm.Beta(style);
            weights[norm.Norm + ".weight"] = new HostTensor([gamma.Length], gamma);
            weights[norm.Norm + ".bias"] = new HostTensor([beta.Length], beta);
        }
        return weights;
    }

    /// <summary>A style vector as metadata text: comma-separated, round-trip precision.</summary>
    public static string Format(ReadOnlySpan<float> style)
    {
        var parts = new string[style.Length];
        for (var i = 0; i < style.Length; i++) parts[i] = style[i].ToString("R", CultureInfo.InvariantCulture);
        return string.Join(",", parts);
    }
}
