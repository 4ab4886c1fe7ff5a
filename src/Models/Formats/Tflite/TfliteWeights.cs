using System.Buffers.Binary;

namespace LiveStyle.Models.Formats.Tflite;

/// <summary>
/// Constant tensors as float32: int8/uint8 weights dequantized per channel, (q − zero point) × scale, int32
/// biases by their own scales, float32 as stored; every value checked to be finite.
/// </summary>
public static class TfliteWeights
{
    /// <summary>The tensor's values in its own (TensorFlow) shape.</summary>
    public static HostTensor Floats(TfliteModel model, TfliteTensor tensor)
    {
        if (!model.IsConstant(tensor)) throw new ModelFormatException($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} should be a constant, but the file stores no values for it");
        var data = model.Data(tensor);
        var values = new float[tensor.Elements];
        if (tensor.Type == TfliteType.Float32)
        {
            for (var i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]);
        }
        else
        {
            var q = tensor.Quantization ?? throw new ModelFormatException($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} is {tensor.Type} without quantization parameters");
            // Per channel along q.Dimension: the channel of element i is (i / inner) % channels.
            var channels = q.Scales.Length;
            var inner = channels == 1 ? 1L : tensor.Shape.Skip(q.Dimension + 1).Aggregate(1L, (n, d) => n * d);
            for (var i = 0; i < values.Length; i++)
            {
                var c = channels == 1 ? 0 : (int)(i / inner % channels);
                long raw = tensor.Type switch
                {
                    TfliteType.Int8 => (sbyte)data[i],
                    TfliteType.UInt8 => data[i],
                    TfliteType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(data[(2 * i)..]),
                    TfliteType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]),
                    _ => throw new ModelFormatException($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} is {tensor.Type}, which LiveStyle does not dequantize"),
                };
                values[i] = (float)((raw - q.ZeroPoints[c]) * (double)q.Scales[c]);
            }
        }
        if (values.Any(v => !float.IsFinite(v))) throw new ModelFormatException($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} holds values that are not finite numbers");
        return new HostTensor(tensor.Shape.Select(d => (long)d).ToArray(), values);
    }

    /// <summary>An integer constant (paddings, axes, sizes).</summary>
    public static long[] Ints(TfliteModel model, TfliteTensor tensor)
    {
        if (!model.IsConstant(tensor) || tensor.Type is not (TfliteType.Int32 or TfliteType.Int64))
            throw new ModelFormatException($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} should be a constant of integers");
        var data = model.Data(tensor);
        var values = new long[tensor.Elements];
        for (var i = 0; i < values.Length; i++)
            values[i] = tensor.Type == TfliteType.Int32 ? BinaryPrimitives.ReadInt32LittleEndian(data[(4 * i)..]) : BinaryPrimitives.ReadInt64LittleEndian(data[(8 * i)..]);
        return values;
    }

    /// <summary>A TensorFlow Lite convolution kernel [out, kh, kw, in] as torch's [out, in, kh, kw].</summary>
    public static HostTensor ConvKernel(TfliteModel model, TfliteTensor tensor) =>
        tensor.Shape.Length == 4 ? Floats(model, tensor).Permute(0, 3, 1, 2) : throw Rank(model, tensor);

    /// <summary>A depthwise kernel [1, kh, kw, channels] as torch's grouped [channels, 1, kh, kw].</summary>
    public static HostTensor DepthwiseKernel(TfliteModel model, TfliteTensor tensor) =>
        tensor.Shape is [1, _, _, _] ? Floats(model, tensor).Permute(3, 0, 1, 2) : throw Rank(model, tensor);

    private static ModelFormatException Rank(TfliteModel model, TfliteTensor tensor) =>
        new($"{model.Path}: {ModelInfo.Sanitize(tensor.Name)} {tensor.ShapeText} is not a convolution kernel");
}
