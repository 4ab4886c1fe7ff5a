using LiveStyle.Media.Images;
using LiveStyle.Render.Controls;
using LiveStyle.Render.Gl;
using Silk.NET.OpenGL;

namespace LiveStyle.Render.Window;

/// <summary>
/// A GLFW window with an OpenGL 3.3 core context (called through Silk.NET.OpenGL) showing the newest frame: the original and the
/// stylized frame upload through pixel-buffer objects into two textures; one shader letterboxes,
/// blends by strength and draws the split view. Must be used from the thread that created it.
/// </summary>
public sealed unsafe class PreviewWindow : IPresenter
{
    private readonly IntPtr _window;
    private readonly GL _gl;
    private readonly uint _program, _vao;
    private static readonly (TextureParameterName Name, int Value)[] TextureSettings =
    [
        (TextureParameterName.TextureMinFilter, (int)TextureMinFilter.Linear), (TextureParameterName.TextureMagFilter, (int)TextureMagFilter.Linear),
        (TextureParameterName.TextureWrapS, (int)TextureWrapMode.ClampToEdge), (TextureParameterName.TextureWrapT, (int)TextureWrapMode.ClampToEdge),
    ];
    private readonly uint[] _textures = new uint[2], _pbos = new uint[2];
    private readonly int _uScale, _uStrength, _uSplit;
    private readonly ILiveControls _controls;
    // Delegates handed to GLFW must stay alive as long as the window.
    private readonly Glfw.KeyCallback _onKey;
    private readonly Glfw.MouseButtonCallback _onMouse;
    private readonly Glfw.CursorPosCallback _onCursor;
    private int _frameWidth, _frameHeight;
    private float _split = LiveSettings.NoSplit;
    private bool _dragging, _fullscreen;
    private (int X, int Y, int W, int H) _windowed;

    public PreviewWindow(string title, int width, int height, string shaderDirectory, ILiveControls controls)
    {
        _controls = controls;
        if (Glfw.glfwInit() == 0) throw new DisplayException("GLFW could not start (no display?)");
        Glfw.glfwWindowHint(Glfw.ContextVersionMajor, 3);
        Glfw.glfwWindowHint(Glfw.ContextVersionMinor, 3);
        Glfw.glfwWindowHint(Glfw.OpenGlProfile, Glfw.OpenGlCoreProfile);
        Glfw.glfwWindowHint(Glfw.OpenGlForwardCompat, 1);
        _window = Glfw.glfwCreateWindow(width, height, title, IntPtr.Zero, IntPtr.Zero);
        if (_window == IntPtr.Zero)
        {
            Glfw.glfwTerminate();
            throw new DisplayException("could not open an OpenGL 3.3 window");
        }
        Glfw.glfwMakeContextCurrent(_window);
        Glfw.glfwSwapInterval(0);
        _gl = GL.GetApi(name => Glfw.glfwGetProcAddress(name));
        _program = ShaderProgram.Compile(_gl, File.ReadAllText(Path.Combine(shaderDirectory, "fullscreen.vert")),
            File.ReadAllText(Path.Combine(shaderDirectory, "present.frag")));
        _gl.UseProgram(_program);
        _gl.Uniform1(_gl.GetUniformLocation(_program, "u_original"), 0);
        _gl.Uniform1(_gl.GetUniformLocation(_program, "u_stylized"), 1);
        (_uScale, _uStrength, _uSplit) = (_gl.GetUniformLocation(_program, "u_scale"), _gl.GetUniformLocation(_program, "u_strength"), _gl.GetUniformLocation(_program, "u_split"));
        _vao = _gl.GenVertexArray();
        fixed (uint* t = _textures) _gl.GenTextures(2, t);
        fixed (uint* b = _pbos) _gl.GenBuffers(2, b);
        _gl.PixelStore(PixelStoreParameter.UnpackAlignment, 1);
        _gl.PixelStore(PixelStoreParameter.PackAlignment, 1);

        _onKey = OnKey;
        _onMouse = OnMouse;
        _onCursor = OnCursor;
        Glfw.glfwSetKeyCallback(_window, _onKey);
        Glfw.glfwSetMouseButtonCallback(_window, _onMouse);
        Glfw.glfwSetCursorPosCallback(_window, _onCursor);
    }

    public bool ShouldClose => Glfw.glfwWindowShouldClose(_window) != 0;

    /// <summary>Never waits for frames: events are polled between them.</summary>
    public TimeSpan FrameWait => TimeSpan.Zero;

    public void SetStatus(string line) => Glfw.glfwSetWindowTitle(_window, $"LiveStyle — {line}");

    public void Close() => Glfw.glfwSetWindowShouldClose(_window, 1);

    /// <summary>Handles pending events, waiting up to 2 ms for one (the presenting loop's pace between frames).</summary>
    public void PollEvents() => Glfw.glfwWaitEventsTimeout(0.002);

    /// <summary>Uploads the original and the stylized frame (packed BGR24) through the pixel-buffer objects; the shader blends them.</summary>
    public void Upload(byte[] original, byte[] stylized, int width, int height)
    {
        var resized = width != _frameWidth || height != _frameHeight;
        (_frameWidth, _frameHeight) = (width, height);
        Upload(0, original, resized);
        Upload(1, stylized, resized);
    }

    private void Upload(int unit, ReadOnlySpan<byte> bgr, bool allocate)
    {
        _gl.ActiveTexture(TextureUnit.Texture0 + unit);
        _gl.BindTexture(TextureTarget.Texture2D, _textures[unit]);
        if (allocate)
        {
            _gl.TexImage2D(TextureTarget.Texture2D, 0, InternalFormat.Rgb8, (uint)_frameWidth, (uint)_frameHeight, 0, PixelFormat.Bgr, PixelType.UnsignedByte, null);
            foreach (var (name, value) in TextureSettings) _gl.TexParameter(TextureTarget.Texture2D, name, value);
        }
        _gl.BindBuffer(BufferTargetARB.PixelUnpackBuffer, _pbos[unit]);
        _gl.BufferData(BufferTargetARB.PixelUnpackBuffer, (nuint)bgr.Length, null, BufferUsageARB.StreamDraw); // orphan: the driver may still read the previous upload
        var target = _gl.MapBufferRange(BufferTargetARB.PixelUnpackBuffer, 0, (nuint)bgr.Length, MapBufferAccessMask.WriteBit | MapBufferAccessMask.InvalidateBufferBit);
        bgr.CopyTo(new Span<byte>(target, bgr.Length));
        _gl.UnmapBuffer(BufferTargetARB.PixelUnpackBuffer);
        _gl.TexSubImage2D(TextureTarget.Texture2D, 0, 0, 0, (uint)_frameWidth, (uint)_frameHeight, PixelFormat.Bgr, PixelType.UnsignedByte, null);
        _gl.BindBuffer(BufferTargetARB.PixelUnpackBuffer, 0);
    }

    /// <summary>Draws the current textures letterboxed into the back buffer, blended by the settings' strength and split.</summary>
    public void Draw(LiveSettings settings)
    {
        _split = settings.Split;
        Glfw.glfwGetFramebufferSize(_window, out var w, out var h);
        _gl.Viewport(0, 0, (uint)w, (uint)h);
        _gl.ClearColor(0, 0, 0, 1);
        _gl.Clear(ClearBufferMask.ColorBufferBit);
        if (_frameWidth > 0 && w > 0 && h > 0)
        {
            var frameAspect = (double)_frameWidth / _frameHeight;
            var windowAspect = (double)w / h;
            _gl.UseProgram(_program);
            _gl.Uniform2(_uScale, (float)Math.Min(1, frameAspect / windowAspect), (float)Math.Min(1, windowAspect / frameAspect));
            _gl.Uniform1(_uStrength, settings.Strength);
            _gl.Uniform1(_uSplit, settings.Split);
            _gl.BindVertexArray(_vao);
            _gl.DrawArrays(PrimitiveType.TriangleStrip, 0, 4);
        }
    }

    public void Swap() => Glfw.glfwSwapBuffers(_window);

    /// <summary>The back buffer as an RGB image, top row first (call after Draw, before Swap).</summary>
    public Image ReadBack()
    {
        Glfw.glfwGetFramebufferSize(_window, out var w, out var h);
        var bottomUp = new byte[w * h * 3];
        _gl.ReadBuffer(ReadBufferMode.Back);
        fixed (byte* p = bottomUp) _gl.ReadPixels(0, 0, (uint)w, (uint)h, PixelFormat.Rgb, PixelType.UnsignedByte, p);
        var rgb = new byte[bottomUp.Length];
        for (var y = 0; y < h; y++) Array.Copy(bottomUp, (h - 1 - y) * w * 3, rgb, y * w * 3, w * 3);
        return new Image(w, h, 3, rgb);
    }

    private void OnKey(IntPtr window, int key, int scancode, int action, int mods)
    {
        if (action == Glfw.Release) return;
        switch (key)
        {
            case Glfw.KeyEscape or Glfw.KeyQ: Close(); break;
            case Glfw.KeyRight: _controls.Change(s => s with { StyleIndex = s.StyleIndex + 1 }); break;
            case Glfw.KeyLeft: _controls.Change(s => s with { StyleIndex = s.StyleIndex - 1 }); break;
            case >= Glfw.Key1 and <= Glfw.Key9 when key - Glfw.Key1 < _controls.Styles.Count: _controls.Change(s => s with { StyleIndex = key - Glfw.Key1 }); break;
            case Glfw.KeyEqual or Glfw.KeyKpAdd: _controls.Change(s => s with { Strength = s.Strength + 0.1f }); break;
            case Glfw.KeyMinus or Glfw.KeyKpSubtract: _controls.Change(s => s with { Strength = s.Strength - 0.1f }); break;
            case Glfw.KeyS when action == Glfw.Press: _controls.Change(s => s with { Split = s.Split < 0 ? 0.5f : LiveSettings.NoSplit }); break;
            case Glfw.KeySpace when action == Glfw.Press: _controls.Change(s => s with { Paused = !s.Paused }); break;
            case Glfw.KeyP when action == Glfw.Press: _controls.Screenshot(); break;
            case Glfw.KeyF when action == Glfw.Press: ToggleFullscreen(); break;
        }
    }

    private void OnMouse(IntPtr window, int button, int action, int mods) => _dragging = button == 0 && action == Glfw.Press;

    private void OnCursor(IntPtr window, double x, double y)
    {
        if (!_dragging || _split < 0) return;
        Glfw.glfwGetWindowSize(_window, out var w, out _);
        if (w > 0) _controls.Change(s => s with { Split = (float)(x / w) });
    }

    private void ToggleFullscreen()
    {
        if (!_fullscreen)
        {
            Glfw.glfwGetWindowPos(_window, out var x, out var y);
            Glfw.glfwGetWindowSize(_window, out var w, out var h);
            _windowed = (x, y, w, h);
            var monitor = Glfw.glfwGetPrimaryMonitor();
            var mode = Glfw.glfwGetVideoMode(monitor);
            if (mode != null) Glfw.glfwSetWindowMonitor(_window, monitor, 0, 0, mode[0], mode[1], mode[5]);
        }
        else Glfw.glfwSetWindowMonitor(_window, IntPtr.Zero, _windowed.X, _windowed.Y, _windowed.W, _windowed.H, 0);
        _fullscreen = !_fullscreen;
    }

    public void Dispose()
    {
        fixed (uint* t = _textures) _gl.DeleteTextures(2, t);
        fixed (uint* b = _pbos) _gl.DeleteBuffers(2, b);
        _gl.DeleteVertexArray(_vao);
        _gl.DeleteProgram(_program);
        _gl.Dispose();
        Glfw.glfwDestroyWindow(_window);
        Glfw.glfwTerminate();
    }
}

public sealed class DisplayException(string message) : Exception(message);
