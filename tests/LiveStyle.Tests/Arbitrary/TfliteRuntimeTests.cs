using System.Text.Json.Nodes;
using LiveStyle.Media.Images;
using LiveStyle.Media.Pixels;
using LiveStyle.Models.Arbitrary;
using LiveStyle.Models.Inference;
using LiveStyle.Pipeline.Journeys;
using LiveStyle.Tensors;
using LiveStyle.Tests.Support;
using Xunit.Abstractions;

namespace LiveStyle.Tests.Arbitrary;

/// <summary>
/// LiveStyle's float reading of Magenta's int8 networks against Google's own TFLite runtime (@tensorflow/tfjs-tflite,
/// WebAssembly, in headless Chromium), on the same pixels: two paintings as the predictor sees them and two photos at
/// 384x384. Float against int8 differs by quantisation alone: about 0.03 on the style vectors, 24–31 dB on the images.
/// </summary>
[Collection(Serial.Name)]
public sealed class TfliteRuntimeTests(ITestOutputHelper output)
{
    private const int PhotoSize = 384;

    private const string Page = """
        <!doctype html><html><body>
        <script src="/npm/@tensorflow/tfjs-core/dist/tf-core.min.js"></script>
        <script src="/npm/@tensorflow/tfjs-backend-cpu/dist/tf-backend-cpu.min.js"></script>
        <script src="/npm/@tensorflow/tfjs-tflite/dist/tf-tflite.min.js"></script>
        <script>
        tflite.setWasmPath('/npm/@tensorflow/tfjs-tflite/wasm/');
        async function floats(url) { return new Float32Array(await (await fetch(url)).arrayBuffer()); }
        function base64(bytes) {
          let s = '';
          for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
          return btoa(s);
        }
        window.run = async (paintings, photos, paintingSize, photoSize) => {
          const predictor = await tflite.loadTFLiteModel('/models/prediction.tflite');
          const transfer = await tflite.loadTFLiteModel('/models/transfer.tflite');
          const image = transfer.inputs.find(i => i.shape.length === 4 && i.shape[3] === 3 && i.shape[1] > 1).name;
          const style = transfer.inputs.find(i => i.name !== image).name;
          // The runtime's outputs are views of its WebAssembly memory, which the next call may move: copied at once.
          const copy = t => Float32Array.from(t.dataSync());
          const vectors = [];
          for (let i = 0; i < paintings; i++)
            vectors.push(copy(predictor.predict(tf.tensor(await floats(`/data/painting${i}.bin`), [1, paintingSize, paintingSize, 3]))));
          const images = [];
          for (let j = 0; j < photos; j++) {
            const content = tf.tensor(await floats(`/data/photo${j}.bin`), [1, photoSize, photoSize, 3]);
            for (let i = 0; i < paintings; i++) {
              const y = copy(transfer.predict({ [image]: content, [style]: tf.tensor(vectors[i], [1, 1, 1, vectors[i].length]) }));
              images.push(base64(Uint8Array.from(y, v => Math.max(0, Math.min(255, Math.round(v * 255))))));
            }
          }
          return JSON.stringify({ vectors: vectors.map(v => Array.from(v)), images });
        };
        </script></body></html>
        """;

    [Fact]
    public void StyleVectorsAndStylizedPhotosMatchGooglesRuntime()
    {
        using var dir = new TempDir();
        using var networks = Paintings.Open();
        var paintings = new[] { "starry_night.jpg", "the_scream.jpg" }.Select(p => PaintingStyles.Seen(ImageCodec.Read(Paintings.Style(p)), 256)).ToList();
        var photos = new[] { "tubingen.jpg", "golden_gate.jpg" }.Select(p => ImageCodec.Read(TestPaths.ContentImage(p)).Resize(PhotoSize, PhotoSize)).ToList();
        for (var i = 0; i < paintings.Count; i++) WriteForTflite(paintings[i], dir[$"painting{i}.bin"]);
        for (var j = 0; j < photos.Count; j++) WriteForTflite(photos[j], dir[$"photo{j}.bin"]);
        File.WriteAllText(dir["index.html"], Page);

        var ours = paintings.Select(p =>
        {
            var planar = new float[3 * 256 * 256];
            ImageTensors.ToPlanar(p, planar);
            return networks.Predict(planar, 256, 256);
        }).ToList();

        using var site = new StaticSite(new Dictionary<string, string>
        {
            [""] = dir.Path, ["data"] = dir.Path, ["models"] = Paintings.MagentaMirror,
            ["npm"] = Path.Combine(TestPaths.RepoRoot, "web", "node_modules"),
        });
        using var page = new ChromiumPage(site.BaseUrl + "index.html");
        var answer = page.Evaluate($"run({paintings.Count}, {photos.Count}, 256, {PhotoSize}).catch(e => 'ERROR ' + e + ' ' + e.stack)")?.GetValue<string>() ?? "no answer";
        Assert.False(answer.StartsWith("ERROR", StringComparison.Ordinal), answer);
        var result = JsonNode.Parse(answer)!;

        var theirs = result["vectors"]!.AsArray().Select(v => v!.AsArray().Select(x => x!.GetValue<float>()).ToArray()).ToList();
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(ours[i].Length, theirs[i].Length);
            var worst = ours[i].Zip(theirs[i]).Max(p => Math.Abs(p.First - p.Second));
            output.WriteLine($"painting {i}: style vectors differ by up to {worst:F4}");
            Assert.True(worst <= 0.05, $"painting {i}: style vectors differ by up to {worst:F4}");
        }

        var images = result["images"]!.AsArray().Select(b => Convert.FromBase64String(b!.GetValue<string>())).ToList();
        for (var j = 0; j < photos.Count; j++)
        for (var i = 0; i < paintings.Count; i++)
        {
            using var model = StyleModel.FromWeights(networks.Fold(ours[i], $"painting {i}", new Dictionary<string, string>()), Device.Cpu, Precision.Fp32);
            using var journey = new StillJourney(model);
            var painted = journey.Stylize(photos[j]);
            var psnr = Psnr.Of(painted.Pixels, images[j * paintings.Count + i]);
            output.WriteLine($"photo {j} in painting {i}: {psnr:F1} dB against Google's runtime, {Psnr.Of(painted.Pixels, photos[j].Pixels):F1} dB against the photo");
            Assert.True(psnr >= 22, $"photo {j} in painting {i}: {psnr:F1} dB against Google's runtime");
            Assert.True(Psnr.Of(painted.Pixels, photos[j].Pixels) < 18, $"photo {j} in painting {i} is barely changed");
        }
    }

    /// <summary>TFLite's input: float32 NHWC RGB in 0..1.</summary>
    private static void WriteForTflite(Image image, string path)
    {
        var values = image.Pixels.Select(b => b / 255f).ToArray();
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        File.WriteAllBytes(path, bytes);
    }
}
