using System.Numerics;
using System.Runtime.InteropServices;

namespace LiveStyle.Models.Inference;

/// <summary>Whether a network's output is all numbers: a poisoned model (or one overflowing float32) gives NaN or infinities.</summary>
public static class FiniteValues
{
    /// <summary>v − v is 0 for every finite v and NaN otherwise; summing those is one vector pass.</summary>
    public static bool All(ReadOnlySpan<float> values)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        var sum = Vector<float>.Zero;
        foreach (var v in vectors) sum += v - v;
        var total = Vector.Sum(sum);
        for (var i = vectors.Length * Vector<float>.Count; i < values.Length; i++) total += values[i] - values[i];
        return total == 0;
    }

    public static void Check(ReadOnlySpan<float> output)
    {
        if (!All(output)) throw new Onnx.InferenceException("the model produced values that are not finite numbers (poisoned weights, or an input it overflows on); nothing was written");
    }
}
