using System.Security.Cryptography;
using LiveStyle.Models.Formats;
using LiveStyle.Models.Formats.Tflite;
using LiveStyle.Models.Inference;
using LiveStyle.Models.Networks;
using LiveStyle.Models.Onnx;
using LiveStyle.Tensors;
using Microsoft.ML.OnnxRuntime;

namespace LiveStyle.Models.Arbitrary;

/// <summary>
/// Magenta's arbitrary stylization (Ghiasi et al. 2017) read from its two TensorFlow Lite files: the predictor
/// turns a painting into a style vector (on ONNX Runtime, from the graph <see cref="StylePredictorNet"/> emits), and
/// <see cref="Fold"/> turns a style vector into an ordinary LiveStyle network (<see cref="TransformNetConfig.Magenta"/>).
/// </summary>
public sealed class ArbitraryStyle : IDisposable
{
    public const string PredictorFile = "prediction.tflite", TransformerFile = "transfer.tflite";

    /// <summary>The painting's size the predictor was trained at: its brush scale.</summary>
    public const int DefaultPaintingSize = 256;

    public const string Source = "Magenta arbitrary image stylization (Ghiasi et al. 2017), int8 TensorFlow Lite release, run in float";

    private readonly InferenceSession _predictor;
    private readonly string _inputName, _outputName;

    private ArbitraryStyle(InferenceSession predictor, StylePredictorConfig predictorConfig, IReadOnlyDictionary<string, HostTensor> predictorWeights,
        ConditionalTransformer transformer, string predictorSha256, string transformerSha256, string licence)
    {
        _predictor = predictor;
        _inputName = predictor.InputMetadata.Keys.Single();
        _outputName = predictor.OutputMetadata.Keys.Single();
        PredictorConfig = predictorConfig;
        PredictorWeights = predictorWeights;
        Transformer = transformer;
        PredictorSha256 = predictorSha256;
        TransformerSha256 = transformerSha256;
        Licence = licence;
    }

    public StylePredictorConfig PredictorConfig { get; }
    public IReadOnlyDictionary<string, HostTensor> PredictorWeights { get; }
    public ConditionalTransformer Transformer { get; }
    public string PredictorSha256 { get; }
    public string TransformerSha256 { get; }

    /// <summary>As the files' own TFLite metadata states it.</summary>
    public string Licence { get; }

    public int StyleSize => Transformer.StyleSize;

    /// <summary>Reads <see cref="PredictorFile"/> and <see cref="TransformerFile"/> from <paramref name="folder"/>.</summary>
    public static ArbitraryStyle Open(string folder)
    {
        var predictorPath = Path.Combine(folder, PredictorFile);
        var transformerPath = Path.Combine(folder, TransformerFile);
        var predictorFile = TfliteFile.Read(predictorPath);
        var transformerFile = TfliteFile.Read(transformerPath);
        var (config, weights) = MagentaPredictorLayout.Read(predictorFile);
        var transformer = MagentaTransformerLayout.Read(transformerFile);
        if (config.Outputs != transformer.StyleSize)
            throw new ModelFormatException($"{predictorPath} makes style vectors of {config.Outputs} numbers, but {transformerPath} takes {transformer.StyleSize}");
        var licence = transformerFile.Licence.Length > 0 ? transformerFile.Licence : predictorFile.Licence;
        var session = OnnxNetwork.NewSession(OnnxWire.Encode(PredictorGraph(config, weights, licence)), InferenceThreads.Count, predictorPath);
        return new ArbitraryStyle(session, config, weights, transformer,
            Sha256(predictorFile), Sha256(transformerFile), licence);
    }

    /// <summary>The predictor as a standalone ONNX model (for the browser, and for this class's own session).</summary>
    public OnnxModel PredictorOnnx() => PredictorGraph(PredictorConfig, PredictorWeights, Licence);

    private static OnnxModel PredictorGraph(StylePredictorConfig config, IReadOnlyDictionary<string, HostTensor> weights, string licence)
    {
        using var net = PredictorNetwork(config, weights);
        return OnnxExport.Predictor(net, licence);
    }

    /// <summary>The predictor on libtorch (CPU, float32), for the gradient-based refinement and the tests.</summary>
    public StylePredictorNet PredictorNetwork() => PredictorNetwork(PredictorConfig, PredictorWeights);

    private static StylePredictorNet PredictorNetwork(StylePredictorConfig config, IReadOnlyDictionary<string, HostTensor> weights)
    {
        var net = new StylePredictorNet(config);
        try
        {
            using var scope = Torch.NewDisposeScope();
            net.LoadStateDict(weights.ToDictionary(kv => kv.Key, kv => Torch.FromArray(kv.Value.Data, kv.Value.Shape)));
            return net;
        }
        catch (StateDictException e)
        {
            net.Dispose();
            throw new ModelFormatException($"the style predictor's weights do not fit its layout: {e.Message}", e);
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    /// <summary>The style vector of a painting given as planar RGB 0..255 [3, H, W] (resized to its brush scale by the caller).</summary>
    public float[] Predict(float[] planar, int width, int height)
    {
        if (planar.Length != 3L * width * height) throw new ArgumentException($"{planar.Length} values for a {width}x{height} painting");
        using var input = OrtValue.CreateTensorValueFromMemory(planar, [1, 3, height, width]);
        using var options = new RunOptions();
        try
        {
            using var results = _predictor.Run(options, [_inputName], [input], [_outputName]);
            var style = results[0].GetTensorDataAsSpan<float>().ToArray();
            if (style.Length != StyleSize || style.Any(v => !float.IsFinite(v)))
                throw new InferenceException("the style predictor gave no usable style vector (not finite)");
            return style;
        }
        catch (OnnxRuntimeException e)
        {
            throw new InferenceException($"the style predictor failed inside ONNX Runtime ({OnnxNetwork.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>
    /// A LiveStyle network for one style vector. <paramref name="provenance"/> goes into the model's metadata
    /// (the painting's SHA-256, weights of a blend...), beside the vector itself and both source files.
    /// </summary>
    public Weights Fold(float[] style, string styleName, IReadOnlyDictionary<string, string> provenance)
    {
        var training = new Dictionary<string, string>(provenance)
        {
            ["style_vector"] = ConditionalTransformer.Format(style),
            ["predictor"] = $"{PredictorFile} sha256:{PredictorSha256}",
            ["transformer"] = $"{TransformerFile} sha256:{TransformerSha256}",
        };
        var info = new ModelInfo(Transformer.Config, styleName, Source, training) { Licence = $"{Licence} (Magenta's networks; the painting's own rights are its owner's)" };
        return new Weights(info, Transformer.Fold(style));
    }

    private static string Sha256(TfliteModel file) => Convert.ToHexStringLower(SHA256.HashData(file.Bytes));

    public void Dispose() => _predictor.Dispose();
}
