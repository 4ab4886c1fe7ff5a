using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LiveStyle.Models.Onnx.Runtime;

/// <summary>What one <see cref="BlockedNormKernel"/> does, from its node's attributes (<see cref="BlockedNormRewrite"/> writes them).</summary>
/// <param name="Block">Channels per block of ONNX Runtime's blocked layout ([N, C/B, H, W, B] in memory).</param>
/// <param name="Channels">Real channels of the result (the rest of its last block is zero).</param>
/// <param name="Shuffle">2: the input holds the 2x2 phases of each channel (pixel_unshuffle's order) and the result is the pixel shuffle of them; 1: none.</param>
/// <param name="Pads">Top, left, bottom, right.</param>
/// <param name="EdgePad">Border pixels repeat the edge (ONNX Pad's "edge"); otherwise they reflect it ("reflect").</param>
/// <param name="BlockedOutput">The result in the blocked layout; otherwise plain NCHW with <paramref name="Channels"/> channels.</param>
/// <param name="ResidualOffset">Where the residual's pixel (0, 0) lies in its own (padded, blocked) tensor: top, left.</param>
/// <param name="SigmoidScale">When not 0, the result is this times the logistic sigmoid of the value (after the norm).</param>
/// <param name="PhaseOffsets">With a shuffle: phase (p, q) of pixel (i, j) is read at input pixel (i + p, j + q), from an input one
/// row and one column larger than the phases (the 2x2 windows <see cref="PhaseWindowConv"/> makes of an upsampling convolution).</param>
/// <param name="PhaseOutput">With a shuffle by 2 into the blocked layout: the padded result left as its 2x2 phases
/// (channel 4c + 2p + q, pixel_unshuffle's order), the input of a strided convolution over phases (<see cref="QuarterPhaseConv"/>).</param>
internal sealed record BlockedNormSpec(int Block, int Channels, bool Norm, float Epsilon, bool Residual, bool Relu, int Shuffle,
    int[] Pads, bool EdgePad, bool BlockedOutput, int[] ResidualOffset, float SigmoidScale = 0, bool PhaseOffsets = false, bool PhaseOutput = false)
{
    public string? Problem() =>
        Block is < 1 or > 64 ? $"a block of {Block} channels"
        : Channels < 1 ? $"{Channels} channels"
        : Shuffle is not (1 or 2 or 4) ? $"a shuffle by {Shuffle}"
        : Block % (Shuffle * Shuffle) != 0 ? $"a shuffle by {Shuffle} over a block of {Block} channels"
        : Shuffle == 4 && (BlockedOutput || PhaseOffsets) ? "a shuffle by 4 into the blocked layout or with phase offsets"
        : PhaseOffsets && Shuffle != 2 ? "phase offsets without a shuffle"
        : PhaseOutput && (Shuffle != 2 || !BlockedOutput || EdgePad || Residual || Pads.Any(p => p % 2 != 0)) ? "phases out of other than a 2x2 shuffle reflected by even pads"
        : Residual && (!BlockedOutput || Shuffle != 1) ? "a residual outside the blocked layout"
        : Pads.Length != 4 || Pads.Any(p => p is < 0 or > 64) ? "pads out of range"
        : ResidualOffset.Length != 2 || ResidualOffset.Any(p => p is < 0 or > 64) ? "a residual offset out of range"
        : Norm && !(Epsilon >= 0) ? "a negative epsilon"
        : !float.IsFinite(SigmoidScale) || SigmoidScale != 0 && (Relu || BlockedOutput) ? "a sigmoid outside a plain result or beside ReLU"
        : null;
}

/// <summary>
/// Instance norm, residual add, ReLU (or a scaled sigmoid) and a reflection or edge pad in one pass over ONNX Runtime's blocked layout
/// ([N, C/B, H, W, B] in memory, the layout its NCHWc convolutions read and write), optionally pixel-shuffling 2x2 phases
/// on the way. ONNX Runtime runs each of these one by one in plain NCHW, most on one thread, with a reorder out of the
/// blocked layout before them and one back after (docs/BENCHMARKS.md); here they are one read for the statistics and
/// one read and write for the result, split over the session's threads. Statistics are summed about each channel's
/// first value, per row in float and across rows in double (see <see cref="Shift"/>). The per-row methods are compiled optimised from
/// the start: a session's first frames would otherwise run them as the JIT's first, unoptimised tier.
/// </summary>
internal sealed unsafe class BlockedNormKernel(BlockedNormSpec spec)
{
    private const int StatChunksPerPlane = 16;

    public BlockedNormSpec Spec { get; } = spec;

    /// <summary>The first failure of a step on one of the session's threads, for the call to report.</summary>
    public Exception? Failure;

    // One call's tensors and sizes; ONNX Runtime runs a session's nodes one at a time, and the operator locks the kernel.
    private float* _in, _out, _residual, _scale, _bias;
    private int _n, _inBlocks, _h, _w, _offset, _height, _width, _outPlanes, _outHeight, _outWidth, _chunks, _residualHeight, _residualWidth;
    private double[] _sums = [], _squares = [];
    // Per result lane: (x − shift) · factor + offset, the shift a value of the channel near its mean. Taking it off first
    // keeps a channel far from zero exact: folded into the offset, x · factor and the offset would be large and nearly
    // equal, and their difference would lose its digits.
    private float[] _mean = [], _a = [], _b = [];

    public int OutputPlanes => Spec.PhaseOutput ? (4 * Spec.Channels + Spec.Block - 1) / Spec.Block
        : Spec.BlockedOutput ? (Spec.Channels + Spec.Block - 1) / Spec.Block : Spec.Channels;

    /// <summary>The result's dimensions for an input of these (blocked, [N, C, h, w] with C a multiple of the block), into <paramref name="output"/>.</summary>
    public void OutputDims(ReadOnlySpan<long> input, Span<long> output)
    {
        var (s, p) = (Spec.Shuffle, Spec.Pads);
        output[0] = input[0];
        output[1] = Spec.BlockedOutput ? (long)OutputPlanes * Spec.Block : Spec.Channels;
        var (offset, phases) = (Spec.PhaseOffsets ? 1 : 0, Spec.PhaseOutput ? 2 : 1);
        output[2] = (Math.Max(0, input[2] - offset) * s + p[0] + p[2]) / phases;
        output[3] = (Math.Max(0, input[3] - offset) * s + p[1] + p[3]) / phases;
    }

    /// <summary>Checks the sizes of one call and keeps its tensors; the scratch grows here, at the first call of a size, and only then.</summary>
    public void Begin(ReadOnlySpan<long> input, float* x, float* scale, float* bias, ReadOnlySpan<long> residual, float* r, float* output)
    {
        var spec = Spec;
        if (input[1] % spec.Block != 0) throw new InvalidDataException($"{input[1]} channels in a layout of blocks of {spec.Block}");
        if (input[1] < (long)spec.Channels * spec.Shuffle * spec.Shuffle)
            throw new InvalidDataException($"{input[1]} input channels for {spec.Channels} results");
        (_n, _inBlocks, _h, _w) = ((int)input[0], (int)(input[1] / spec.Block), (int)input[2], (int)input[3]);
        _offset = spec.PhaseOffsets ? 1 : 0;
        (_height, _width) = (Math.Max(0, _h - _offset) * spec.Shuffle, Math.Max(0, _w - _offset) * spec.Shuffle);
        if (_height == 0 || _width == 0) throw new InvalidDataException("an empty image");
        var p = spec.Pads;
        if (!spec.EdgePad && (Math.Max(p[0], p[2]) >= _height || Math.Max(p[1], p[3]) >= _width))
            throw new InvalidDataException($"a reflection pad of {Math.Max(Math.Max(p[0], p[2]), Math.Max(p[1], p[3]))} on an image of {_width}x{_height}");
        if (spec.Residual)
        {
            if (r == null) throw new InvalidDataException("no residual input");
            (_residualHeight, _residualWidth) = ((int)residual[2], (int)residual[3]);
            if (residual[0] != input[0] || residual[1] != input[1] || _residualHeight < spec.ResidualOffset[0] + _height || _residualWidth < spec.ResidualOffset[1] + _width)
                throw new InvalidDataException("a residual of another size");
        }
        _in = x;
        _scale = scale;
        _bias = bias;
        _residual = r;
        _out = output;
        var phases = spec.PhaseOutput ? 2 : 1;
        // A strided convolution over phases of 2 gives a quarter of the image only where its sides are multiples of 4.
        if (spec.PhaseOutput && (_height % 4 != 0 || _width % 4 != 0)) throw new InvalidDataException($"phases of an image of {_width}x{_height}, not a multiple of 4");
        (_outPlanes, _outHeight, _outWidth) = (OutputPlanes, (_height + p[0] + p[2]) / phases, (_width + p[1] + p[3]) / phases);
        _chunks = Math.Min(_h, StatChunksPerPlane);
        var lanes = _n * _inBlocks * _chunks * spec.Block;
        if (_sums.Length < lanes) (_sums, _squares) = (new double[lanes], new double[lanes]);
        var factors = _n * _outPlanes * (spec.BlockedOutput ? spec.Block : 1);
        if (_a.Length < factors) (_mean, _a, _b) = (new float[factors], new float[factors], new float[factors]);
    }

    public long StatisticsItems => Spec.Norm ? (long)_n * _inBlocks * _chunks : 0;
    public long ResultItems => (long)_n * _outPlanes * _outHeight;

    /// <summary>
    /// Sums and sums of squares of each input lane over one chunk of rows: with phase offsets, over the input pixels its
    /// phase reads (the first row and column belong to phase 0 only, the last to phase 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Statistics(long item)
    {
        var b = Spec.Block;
        var chunk = (int)(item % _chunks);
        var plane = item / _chunks;
        int rows = (_h + _chunks - 1) / _chunks, first = chunk * rows, last = Math.Min(_h, first + rows);
        var sums = _sums.AsSpan((int)item * b, b);
        var squares = _squares.AsSpan((int)item * b, b);
        sums.Clear();
        squares.Clear();
        Span<float> shifts = stackalloc float[b];
        for (var l = 0; l < b; l++) shifts[l] = Shift(plane, l);
        var shift = b == 16 ? Vector512.Create((ReadOnlySpan<float>)shifts) : default;
        for (var y = first; y < last; y++)
        {
            var row = _in + (plane * _h + y) * _w * b;
            if (b == 16 && Vector512.IsHardwareAccelerated)
            {
                var (s, q) = (Vector512<float>.Zero, Vector512<float>.Zero);
                var (from, to, rowLanes) = (0, _w, Vector512<float>.AllBitsSet);
                if (_offset != 0)
                {
                    var leftEdge = (Vector512.Load(row) - shift) & PhaseLanes[0];
                    var rightEdge = (Vector512.Load(row + (_w - 1) * 16) - shift) & PhaseLanes[1];
                    s = leftEdge + rightEdge;
                    q = leftEdge * leftEdge + rightEdge * rightEdge;
                    (from, to) = (1, _w - 1);
                    rowLanes = y == 0 ? PhaseLanes[2] : y == _h - 1 ? PhaseLanes[3] : rowLanes;
                }
                for (var x = from; x < to; x++)
                {
                    var v = Vector512.Load(row + x * 16) - shift;
                    s += v;
                    q = Vector512.FusedMultiplyAdd(v, v, q);
                }
                (s, q) = (s & rowLanes, q & rowLanes);
                for (var l = 0; l < 16; l++) { sums[l] += s[l]; squares[l] += q[l]; }
            }
            else
                for (var l = 0; l < b; l++)
                {
                    int rowPhase = (l >> 1) & 1, columnPhase = l & 1;
                    if (_offset != 0 && (y == 0 && rowPhase == 1 || y == _h - 1 && rowPhase == 0)) continue;
                    int from = _offset * columnPhase, to = _w - _offset * (1 - columnPhase);
                    float s = 0, q = 0;
                    for (var x = from; x < to; x++) { var v = row[x * b + l] - shifts[l]; s += v; q += v * v; }
                    sums[l] += s;
                    squares[l] += q;
                }
        }
    }

    /// <summary>Lanes whose phase reads an input's first column, its last column, its first row, its last row (phase p, q in lane 4c + 2p + q).</summary>
    private static readonly Vector512<float>[] PhaseLanes = [.. new Func<int, bool>[] { l => (l & 1) == 0, l => (l & 1) == 1, l => (l & 2) == 0, l => (l & 2) != 0 }
        .Select(reads => Vector512.Create([.. Enumerable.Range(0, 16).Select(l => reads(l) ? -1 : 0)]).AsSingle())];

    /// <summary>
    /// What lane <paramref name="lane"/> of <paramref name="plane"/> is measured from: the first pixel of the channel it
    /// belongs to (with a shuffle, its four phases share their first lane's). Sums of squares about a value near the mean
    /// keep the variance of a channel far from zero, where E[x²] − mean² in float would cancel away its digits.
    /// </summary>
    private float Shift(long plane, int lane) => _in[plane * _h * _w * Spec.Block + (lane & ~(Spec.Shuffle * Spec.Shuffle - 1))];

    /// <summary>Each result channel's shift, factor and offset: the norm's, or 0, 1 and 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Factors()
    {
        var spec = Spec;
        int b = spec.Block, s2 = spec.Shuffle * spec.Shuffle, lanesPerImage = _outPlanes * (spec.BlockedOutput ? b : 1);
        for (var n = 0; n < _n; n++)
            for (var lane = 0; lane < lanesPerImage; lane++)
            {
                // Left as phases, lane 4c + 2p + q is channel c.
                var (i, c) = (n * lanesPerImage + lane, spec.PhaseOutput ? lane / 4 : lane);
                if (c >= spec.Channels) { (_mean[i], _a[i], _b[i]) = (0, 0, 0); continue; }
                if (!spec.Norm) { (_mean[i], _a[i], _b[i]) = (0, 1, 0); continue; }
                double sum = 0, square = 0;
                for (var k = c * s2; k < (c + 1) * s2; k++)
                    for (var chunk = 0; chunk < _chunks; chunk++)
                    {
                        var at = (((long)n * _inBlocks + k / b) * _chunks + chunk) * b + k % b;
                        sum += _sums[at];
                        square += _squares[at];
                    }
                // The mean is the shift (a value of the channel, exact in float) plus what the sums say; x − shift is exact
                // for x near it, and the rest of the mean goes into the offset.
                double count = (double)_height * _width, shifted = sum / count, variance = Math.Max(0, square / count - shifted * shifted);
                var a = _scale[c] / Math.Sqrt(variance + spec.Epsilon);
                (_mean[i], _a[i], _b[i]) = (Shift((long)n * _inBlocks + c * s2 / b, c * s2 % b), (float)a, (float)(_bias[c] - shifted * a));
            }
    }

    /// <summary>One row of the result: every pixel of it, border included, for one block (or one channel, in plain NCHW).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Result(long item)
    {
        // Planes vary fastest, so the items running together read the same input rows.
        var plane = (int)(item % _outPlanes);
        var y = (int)(item / _outPlanes % _outHeight);
        var n = (int)(item / _outPlanes / _outHeight);
        var sy = Source(y - Spec.Pads[0], _height);
        var output = _out + ((long)(n * _outPlanes + plane) * _outHeight + y) * _outWidth * (Spec.BlockedOutput ? Spec.Block : 1);
        if (Spec.PhaseOutput) PhaseRow(n, plane, y, output);
        else if (Spec.Shuffle == 1 && Spec.BlockedOutput) BlockRow(n, plane, sy, output);
        else if (Spec.BlockedOutput) ShuffledBlockRow(n, plane, sy, output);
        else PlainRow(n, plane, sy, output);
    }

    private int Source(int i, int size) => i < 0 ? (Spec.EdgePad ? 0 : -i) : i >= size ? (Spec.EdgePad ? size - 1 : 2 * (size - 1) - i) : i;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BlockRow(int n, int plane, int sy, float* output)
    {
        var b = Spec.Block;
        var input = _in + ((long)(n * _inBlocks + plane) * _h + sy) * _w * b;
        var residual = Spec.Residual ? _residual + ((long)(n * _inBlocks + plane) * _residualHeight + sy + Spec.ResidualOffset[0]) * _residualWidth * b + Spec.ResidualOffset[1] * b : null;
        var factors = (n * _outPlanes + plane) * b;
        var left = Spec.Pads[1];
        // Lanes past the real channels come out zero whatever the input holds there.
        var lanes = Math.Min(b, Spec.Channels - plane * b);
        if (b == 16 && Vector512.IsHardwareAccelerated)
        {
            var real = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle();
            fixed (float* pm = &_mean[factors], pa = &_a[factors], pb = &_b[factors])
            {
                var (mean, a, offset) = (Vector512.Load(pm), Vector512.Load(pa), Vector512.Load(pb));
                for (var x = 0; x < _outWidth; x++)
                {
                    var sx = x - left;
                    if ((uint)sx >= (uint)_width) sx = Source(sx, _width);
                    var v = Vector512.FusedMultiplyAdd(Vector512.Load(input + sx * 16) - mean, a, offset);
                    if (residual != null) v += Vector512.Load(residual + sx * 16);
                    if (Spec.Relu) v = Vector512.Max(v, Vector512<float>.Zero);
                    (v & real).Store(output + x * 16);
                }
            }
            return;
        }
        for (var x = 0; x < _outWidth; x++)
        {
            var sx = Source(x - left, _width);
            for (var l = 0; l < b; l++)
            {
                var v = (input[sx * b + l] - _mean[factors + l]) * _a[factors + l] + _b[factors + l];
                if (residual != null) v += residual[sx * b + l];
                output[x * b + l] = l >= lanes ? 0 : Spec.Relu ? Math.Max(v, 0) : v;
            }
        }
    }

    /// <summary>
    /// Lane l of a shuffled result block is channel c = plane·B + l, read from input channel 4c + 2·(row phase) + column phase
    /// (with phase offsets, one input row lower for row phase 1 and one column further for column phase 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ShuffledBlockRow(int n, int plane, int sy, float* output)
    {
        var b = Spec.Block;
        var factors = (n * _outPlanes + plane) * b;
        var lanes = Math.Min(b, Spec.Channels - plane * b);
        var row = _in + ((long)n * _inBlocks * _h + (sy >> 1) + _offset * (sy & 1)) * _w * b;
        var planeSize = (long)_h * _w * b;
        if (b == 16 && lanes == 16 && Avx512F.IsSupported)
        {
            // Lanes 4q..4q+3 of the result come from input block 4·plane + q, lanes phase, phase + 4, phase + 8, phase + 12.
            var first = row + 4 * plane * planeSize;
            fixed (float* pm = &_mean[factors], pa = &_a[factors], pb = &_b[factors])
            {
                var (mean, a, offset) = (Vector512.Load(pm), Vector512.Load(pa), Vector512.Load(pb));
                var halves = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
                for (var x = 0; x < _outWidth; x++)
                {
                    var sx = Source(x - Spec.Pads[1], _width);
                    var pixel = first + ((sx >> 1) + _offset * (sx & 1)) * 16;
                    var pick = Picks[2 * (sy & 1) + (sx & 1)];
                    var low = Avx512F.PermuteVar16x32x2(Vector512.Load(pixel), pick, Vector512.Load(pixel + planeSize));
                    var high = Avx512F.PermuteVar16x32x2(Vector512.Load(pixel + 2 * planeSize), pick, Vector512.Load(pixel + 3 * planeSize));
                    var v = Vector512.FusedMultiplyAdd(Avx512F.PermuteVar16x32x2(low, halves, high) - mean, a, offset);
                    (Spec.Relu ? Vector512.Max(v, Vector512<float>.Zero) : v).Store(output + x * 16);
                }
            }
            return;
        }
        for (var x = 0; x < _outWidth; x++)
        {
            var sx = Source(x - Spec.Pads[1], _width);
            var phase = 2 * (sy & 1) + (sx & 1);
            for (var l = 0; l < b; l++)
            {
                if (l >= lanes) { output[x * b + l] = 0; continue; }
                var k = 4 * (plane * b + l) + phase;
                var v = (row[k / b * planeSize + ((sx >> 1) + _offset * (sx & 1)) * b + k % b] - _mean[factors + l]) * _a[factors + l] + _b[factors + l];
                output[x * b + l] = Spec.Relu ? Math.Max(v, 0) : v;
            }
        }
    }

    /// <summary>
    /// Row <paramref name="row"/> of the padded result's 2x2 phases, for one block: lane 4c + 2p + q is pixel (2·row + p,
    /// 2x + q) of the padded image. Reflection by even pads keeps a pixel's phases, so each lane is the same lane of the
    /// input at one of four pixels: the phase rows' and columns' sources.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PhaseRow(int n, int plane, int row, float* output)
    {
        var b = Spec.Block;
        var factors = (n * _outPlanes + plane) * b;
        var lanes = Math.Min(b, 4 * Spec.Channels - plane * b);
        var first = _in + (long)(n * _inBlocks + plane) * _h * _w * b;
        int sy0 = Source(2 * row - Spec.Pads[0], _height), sy1 = Source(2 * row + 1 - Spec.Pads[0], _height);
        float* row0 = first + (long)((sy0 >> 1) + _offset * (sy0 & 1)) * _w * b, row1 = first + (long)((sy1 >> 1) + _offset * (sy1 & 1)) * _w * b;
        if (b == 16 && Vector512.IsHardwareAccelerated)
        {
            var real = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(lanes)).AsSingle();
            fixed (float* pm = &_mean[factors], pa = &_a[factors], pb = &_b[factors])
            {
                var (mean, a, offset) = (Vector512.Load(pm), Vector512.Load(pa), Vector512.Load(pb));
                for (var x = 0; x < _outWidth; x++)
                {
                    var (left, right) = Columns(x);
                    var top = Vector512.ConditionalSelect(PhaseLanes[0], Vector512.Load(row0 + left), Vector512.Load(row0 + right));
                    var bottom = Vector512.ConditionalSelect(PhaseLanes[0], Vector512.Load(row1 + left), Vector512.Load(row1 + right));
                    var v = Vector512.FusedMultiplyAdd(Vector512.ConditionalSelect(PhaseLanes[2], top, bottom) - mean, a, offset);
                    if (Spec.Relu) v = Vector512.Max(v, Vector512<float>.Zero);
                    (v & real).Store(output + x * 16);
                }
            }
            return;
        }
        for (var x = 0; x < _outWidth; x++)
        {
            var (left, right) = Columns(x);
            for (var l = 0; l < b; l++)
            {
                var v = ((l & 2) == 0 ? row0 : row1)[((l & 1) == 0 ? left : right) + l];
                v = (v - _mean[factors + l]) * _a[factors + l] + _b[factors + l];
                output[x * b + l] = l >= lanes ? 0 : Spec.Relu ? Math.Max(v, 0) : v;
            }
        }
    }

    /// <summary>Where, in an input row, the padded result's column phases 0 and 1 of phase column <paramref name="x"/> are read.</summary>
    private (int Left, int Right) Columns(int x)
    {
        int sx0 = Source(2 * x - Spec.Pads[1], _width), sx1 = Source(2 * x + 1 - Spec.Pads[1], _width);
        return (((sx0 >> 1) + _offset * (sx0 & 1)) * Spec.Block, ((sx1 >> 1) + _offset * (sx1 & 1)) * Spec.Block);
    }

    /// <summary>For each phase p, the two-block permutation that takes lanes p, p + 4, p + 8, p + 12 of each block into eight lanes.</summary>
    private static readonly Vector512<int>[] Picks = [.. Enumerable.Range(0, 4).Select(p =>
        Vector512.Create([p, p + 4, p + 8, p + 12, 16 + p, 20 + p, 24 + p, 28 + p, 0, 0, 0, 0, 0, 0, 0, 0]))];

    /// <summary>
    /// One row of one channel of a plain NCHW result: its lane of the blocked input (with a shuffle, the two lanes of its
    /// row phase, next to each other, so each input pixel gives two result pixels as one 8-byte copy; with phase offsets,
    /// the second from the next pixel; by 4, four pixels as one 16-byte copy), then the factors and
    /// ReLU over the row, then the border from the row itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PlainRow(int n, int channel, int sy, float* output)
    {
        var (b, s) = (Spec.Block, Spec.Shuffle);
        var factor = n * _outPlanes + channel;
        var k = s == 4 ? 16 * channel + 4 * (sy & 3) : s == 2 ? 4 * channel + 2 * (sy & 1) : channel;
        var row = _in + (((long)n * _inBlocks + k / b) * _h + (s == 4 ? sy >> 2 : s == 2 ? (sy >> 1) + _offset * (sy & 1) : sy)) * _w * b + k % b;
        var (left, width) = (Spec.Pads[1], _width);
        var inside = output + left;
        if (s == 2 && _offset != 0)
        {
            // Column phase 0 from pixel j, phase 1 from pixel j + 1: the low half of one 8-byte read, the high half of the next.
            var current = *(ulong*)row;
            for (var j = 0; j < width / 2; j++)
            {
                var next = *(ulong*)(row + (j + 1) * b);
                ((ulong*)inside)[j] = current & 0xFFFF_FFFFUL | next & 0xFFFF_FFFF_0000_0000UL;
                current = next;
            }
        }
        else if (s == 2)
            for (var j = 0; j < _w; j++) ((ulong*)inside)[j] = *(ulong*)(row + j * b);
        else if (s == 4)
            for (var j = 0; j < _w; j++) Vector128.Load(row + j * b).Store(inside + 4 * j);
        else
            for (var x = 0; x < width; x++) inside[x] = row[x * b];
        var sigmoid = Spec.SigmoidScale;
        var (mean, a, offset, scale) = (Vector512.Create(_mean[factor]), Vector512.Create(_a[factor]), Vector512.Create(_b[factor]), Vector512.Create(sigmoid));
        var x0 = 0;
        for (; Vector512.IsHardwareAccelerated && x0 + 16 <= width; x0 += 16)
        {
            var v = Vector512.FusedMultiplyAdd(Vector512.Load(inside + x0) - mean, a, offset);
            if (sigmoid != 0) v = scale / (Vector512<float>.One + Vector512.Exp(-v));
            else if (Spec.Relu) v = Vector512.Max(v, Vector512<float>.Zero);
            v.Store(inside + x0);
        }
        for (; x0 < width; x0++)
        {
            var v = (inside[x0] - _mean[factor]) * _a[factor] + _b[factor];
            inside[x0] = sigmoid != 0 ? sigmoid / (1 + MathF.Exp(-v)) : Spec.Relu ? Math.Max(v, 0) : v;
        }
        for (var x = 0; x < left; x++) output[x] = inside[Source(x - left, width)];
        for (var x = left + width; x < _outWidth; x++) output[x] = inside[Source(x - left, width)];
    }
}
