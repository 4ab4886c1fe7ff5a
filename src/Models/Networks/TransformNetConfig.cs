using System.Text.Json.Serialization;

namespace LiveStyle.Models.Networks;

/// <summary>How a network treats image borders.</summary>
public enum BorderPadding
{
    /// <summary>TensorFlow's "SAME" zero padding in every convolution (fast-style-transfer).</summary>
    TensorFlowSame,

    /// <summary>Reflection padding before every convolution (pytorch/examples).</summary>
    Reflect,

    /// <summary>
    /// jcjohnson/fast-neural-style: the image is reflected once by a margin the residual blocks use up
    /// (8 pixels per block), the edge and stride-2 convolutions pad with zeros, the residual blocks'
    /// convolutions are unpadded with their shortcut cropped by 2, and transposed convolutions use
    /// Torch7's geometry (output 2n).
    /// </summary>
    ReflectMargin,
}

/// <summary>How one convolution pads, derived from the network's <see cref="BorderPadding"/>.</summary>
public enum ConvPadding { TensorFlowSame, Reflect, Zeros, Valid }

/// <summary>How the decoder doubles resolution.</summary>
public enum UpsampleKind { TransposedConv, NearestThenConv }

public enum OutputKind
{
    Tanh150,
    Linear,

    /// <summary>255·sigmoid(x): Magenta's transformer, whose images are 0..1.</summary>
    Sigmoid,
}

/// <summary>Residual block body: two full 3x3 convolutions, or depthwise 3x3 + pointwise 1x1 pairs.</summary>
public enum ResidualKind { Standard, DepthwiseSeparable }

/// <summary>
/// Everything that distinguishes one transform network from another. A single definition
/// (<see cref="TransformNet"/>) builds any of them; the presets are the layouts we ship.
/// </summary>
public sealed record TransformNetConfig
{
    public required string Name { get; init; }
    public int[] Channels { get; init; } = [32, 64, 128];
    public int ResidualBlocks { get; init; } = 5;
    public ResidualKind Residual { get; init; } = ResidualKind.Standard;
    public BorderPadding Padding { get; init; } = BorderPadding.Reflect;
    public UpsampleKind Upsample { get; init; } = UpsampleKind.NearestThenConv;
    public OutputKind Output { get; init; } = OutputKind.Linear;
    public double NormEps { get; init; } = 1e-5;
    public bool ConvBias { get; init; } = true;

    /// <summary>fast-style-transfer (lengstrom) also normalises the last convolution's output.</summary>
    public bool NormAfterLastConv { get; init; }

    /// <summary>
    /// Instance norm after the three encoder convolutions. Magenta's transformer has none there: its batch norms
    /// are folded into those convolutions' biases, so the encoder is convolution and ReLU only.
    /// </summary>
    public bool EncoderNorm { get; init; } = true;

    /// <summary>Inputs are padded (replicating the border) to a multiple of this and the output cropped back (1: any size as it is).</summary>
    public int PadToMultiple { get; init; } = 1;

    /// <summary>Kernel of the first and last convolution (9 in both published layouts).</summary>
    public int EdgeKernel { get; init; } = 9;

    /// <summary>
    /// Space-to-depth factor: the network works on (3·f²)-channel images f times smaller and shuffles
    /// the result back, so no layer runs at full resolution (1 = off, as published).
    /// </summary>
    public int PixelUnshuffle { get; init; } = 1;

    /// <summary>
    /// U-Net-style additive skips: each decoder stage adds the encoder's activations of the same
    /// scale before normalising, so edges need not squeeze through the lowest-resolution layers.
    /// </summary>
    public bool SkipConnections { get; init; }

    /// <summary>
    /// Caffe-style inputs (Johnson's Torch models): this per-channel RGB mean is subtracted from the
    /// 0..255 input first and added back to the output in place of 127.5. Null for every LiveStyle layout.
    /// </summary>
    public float[]? InputMean { get; init; }

    [JsonIgnore]
    public ConvPadding EdgePadding => Padding switch
    {
        BorderPadding.Reflect => ConvPadding.Reflect,
        BorderPadding.ReflectMargin => ConvPadding.Zeros,
        _ => ConvPadding.TensorFlowSame,
    };

    [JsonIgnore]
    public ConvPadding ResidualPadding => Padding == BorderPadding.ReflectMargin ? ConvPadding.Valid : EdgePadding;

    /// <summary>The reflected margin, per side, at the network's working scale: two pixels per block at quarter scale.</summary>
    [JsonIgnore]
    public int Margin => Padding == BorderPadding.ReflectMargin ? 8 * ResidualBlocks : 0;

    /// <summary>Inputs are padded (replicating the border) to a multiple of this and the output cropped back.</summary>
    [JsonIgnore]
    public int SizeMultiple => PixelUnshuffle * Math.Max(PadToMultiple, Padding == BorderPadding.ReflectMargin ? 4 : 1);

    /// <summary>
    /// Layouts that pad to a multiple (Magenta's) also pad smaller inputs (replicating the border) to this size and
    /// crop the output back, so that every reflection pad inside has an image wider than itself and each is one plain
    /// reflect in the ONNX graph. The published layouts keep their own small-image rule (1: no minimum).
    /// </summary>
    [JsonIgnore]
    public int MinimumSize => PadToMultiple > 1 ? (64 * PixelUnshuffle + SizeMultiple - 1) / SizeMultiple * SizeMultiple : 1;

    /// <summary>Every map inside has even height and width (its input padded to a multiple of 2 at the working scale).</summary>
    [JsonIgnore]
    public bool EvenSizes => Margin == 0 && SizeMultiple / PixelUnshuffle % 2 == 0;

    /// <summary>The layout behind the ml5.js models (lengstrom/fast-style-transfer, TensorFlow).</summary>
    public static readonly TransformNetConfig FastStyleTransfer = new()
    {
        Name = "fst",
        Padding = BorderPadding.TensorFlowSame,
        Upsample = UpsampleKind.TransposedConv,
        Output = OutputKind.Tanh150,
        NormEps = 1e-3,
        ConvBias = false,
        NormAfterLastConv = true,
    };

    /// <summary>pytorch/examples fast_neural_style TransformerNet: 32-64-128 channels, 5 residual blocks.</summary>
    public static readonly TransformNetConfig Full = new() { Name = "full" };

    /// <summary>Half the channels of <see cref="Full"/>.</summary>
    public static readonly TransformNetConfig Slim = new() { Name = "slim", Channels = [16, 32, 64] };

    /// <summary>
    /// For real time on a plain CPU: works at quarter resolution (pixel unshuffle by 4, so 48 input
    /// channels carry every pixel), 3x3 edge convolutions, four depthwise-separable residual blocks,
    /// a transposed-convolution decoder (a quarter of the multiply-adds of upsample-then-convolve), and
    /// skip connections: without them everything passes 1/16-scale layers, which blurs photographs.
    /// </summary>
    public static readonly TransformNetConfig Mobile = new()
    {
        Name = "mobile",
        Channels = [24, 48, 96],
        ResidualBlocks = 4,
        Residual = ResidualKind.DepthwiseSeparable,
        Upsample = UpsampleKind.TransposedConv,
        EdgeKernel = 3,
        PixelUnshuffle = 4,
        SkipConnections = true,
    };

    /// <summary>
    /// Magenta's arbitrary-style transformer (Ghiasi et al. 2017) with one painting's style folded in: 8-16-32
    /// channels in the int8 release, reflection padding, no encoder norms, a norm after every later convolution
    /// (the conditional instance norms, as plain ones), nearest-upsample decoder, sigmoid output; inputs padded to a
    /// multiple of 4, as the network's fixed ×2 resizes expect.
    /// </summary>
    public static readonly TransformNetConfig Magenta = new()
    {
        Name = "magenta",
        Channels = [8, 16, 32],
        Output = OutputKind.Sigmoid,
        NormAfterLastConv = true,
        EncoderNorm = false,
        PadToMultiple = 4,
    };

    [JsonIgnore]
    public static IReadOnlyList<TransformNetConfig> Presets { get; } = [FastStyleTransfer, Full, Slim, Mobile, Magenta];

    public static TransformNetConfig Preset(string name) =>
        Presets.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"unknown architecture '{name}': use one of {string.Join(", ", Presets.Select(p => p.Name))}");

    /// <summary>
    /// Why this layout cannot be built, or null. Model files carry their layout, so every value is bounded
    /// before a network is made from it: widths up to 1024 channels, up to 64 residual blocks.
    /// </summary>
    public string? Problem()
    {
        if (Channels is not { Length: 3 } || Channels.Any(c => c is < 1 or > 1024)) return "channels must be three widths of 1 to 1024";
        if (ResidualBlocks is < 0 or > 64) return $"residualBlocks must be 0 to 64, not {ResidualBlocks}";
        if (EdgeKernel is < 1 or > 15 || EdgeKernel % 2 == 0) return $"edgeKernel must be odd, 1 to 15, not {EdgeKernel}";
        if (PixelUnshuffle is < 1 or > 8) return $"pixelUnshuffle must be 1 to 8, not {PixelUnshuffle}";
        if (PadToMultiple is < 1 or > 64) return $"padToMultiple must be 1 to 64, not {PadToMultiple}";
        if (!double.IsFinite(NormEps) || NormEps <= 0 || NormEps > 1) return $"normEps must be in (0, 1], not {NormEps}";
        if (InputMean != null && (InputMean.Length != 3 || InputMean.Any(m => !float.IsFinite(m) || m is < -1000 or > 1000))) return "inputMean must be three finite values";
        if (Padding == BorderPadding.ReflectMargin && SkipConnections) return "a reflect-margin layout cannot have skip connections (its decoder's sizes differ from the encoder's)";
        if (!Enum.IsDefined(Residual) || !Enum.IsDefined(Padding) || !Enum.IsDefined(Upsample) || !Enum.IsDefined(Output)) return "an unknown kind";
        return null;
    }

    public bool Matches(TransformNetConfig other) =>
        Channels.SequenceEqual(other.Channels) && (InputMean ?? []).SequenceEqual(other.InputMean ?? [])
        && this with { Channels = other.Channels, InputMean = other.InputMean, Name = other.Name } == other;
}
