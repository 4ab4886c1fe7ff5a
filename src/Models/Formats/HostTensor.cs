namespace LiveStyle.Models.Formats;

/// <summary>A float32 weight array in managed memory, row-major, as read from or written to a weight file.</summary>
public sealed record HostTensor(long[] Shape, float[] Data)
{
    public string ShapeText => $"[{string.Join(", ", Shape)}]";

    /// <summary>Reorders dimensions (like numpy.transpose) into a new contiguous array.</summary>
    public HostTensor Permute(params int[] order)
    {
        var rank = Shape.Length;
        var newShape = order.Select(i => Shape[i]).ToArray();
        var srcStrides = new long[rank];
        for (long s = 1, i = rank - 1; i >= 0; i--) { srcStrides[i] = s; s *= Shape[i]; }
        var result = new float[Data.Length];
        var index = new long[rank];
        for (long n = 0; n < result.Length; n++)
        {
            long src = 0;
            for (var d = 0; d < rank; d++) src += index[d] * srcStrides[order[d]];
            result[n] = Data[src];
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < newShape[d]) break;
                index[d] = 0;
            }
        }
        return new HostTensor(newShape, result);
    }
}
