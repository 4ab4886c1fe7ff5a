using System.Runtime.InteropServices;
using System.Text;

namespace LiveStyle.Render.Gl;

/// <summary>
/// OpenGL 3.3 core functions, resolved through glfwGetProcAddress when the context is created:
/// only the ones the renderer calls.
/// </summary>
internal sealed unsafe class GL
{
    public const uint Texture2D = 0x0DE1, Rgb = 0x1907, Bgr = 0x80E0, Rgba8 = 0x8058, Rgb8 = 0x8051, UnsignedByte = 0x1401,
        TextureMinFilter = 0x2801, TextureMagFilter = 0x2800, Linear = 0x2601, Nearest = 0x2600, TextureWrapS = 0x2802, TextureWrapT = 0x2803,
        ClampToEdge = 0x812F, UnpackAlignment = 0x0CF5, PackAlignment = 0x0D05, PixelUnpackBuffer = 0x88EC, StreamDraw = 0x88E0,
        MapWriteBit = 0x0002, MapInvalidateBufferBit = 0x0008, VertexShader = 0x8B31, FragmentShader = 0x8B30, CompileStatus = 0x8B81,
        LinkStatus = 0x8B82, Triangles = 0x0004, TriangleStrip = 0x0005, ColorBufferBit = 0x4000, Texture0 = 0x84C0, Back = 0x0405;

    public readonly delegate* unmanaged<int, uint*, void> GenTextures;
    public readonly delegate* unmanaged<int, uint*, void> DeleteTextures;
    public readonly delegate* unmanaged<uint, uint, void> BindTexture;
    public readonly delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void> TexImage2D;
    public readonly delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void> TexSubImage2D;
    public readonly delegate* unmanaged<uint, uint, int, void> TexParameteri;
    public readonly delegate* unmanaged<uint, int, void> PixelStorei;
    public readonly delegate* unmanaged<uint, void> ActiveTexture;
    public readonly delegate* unmanaged<int, uint*, void> GenBuffers;
    public readonly delegate* unmanaged<int, uint*, void> DeleteBuffers;
    public readonly delegate* unmanaged<uint, uint, void> BindBuffer;
    public readonly delegate* unmanaged<uint, nint, void*, uint, void> BufferData;
    public readonly delegate* unmanaged<uint, nint, nint, uint, void*> MapBufferRange;
    public readonly delegate* unmanaged<uint, byte> UnmapBuffer;
    public readonly delegate* unmanaged<uint, uint> CreateShader;
    public readonly delegate* unmanaged<uint, int, byte**, int*, void> ShaderSource;
    public readonly delegate* unmanaged<uint, void> CompileShader;
    public readonly delegate* unmanaged<uint, uint, int*, void> GetShaderiv;
    public readonly delegate* unmanaged<uint, int, int*, byte*, void> GetShaderInfoLog;
    public readonly delegate* unmanaged<uint, void> DeleteShader;
    public readonly delegate* unmanaged<uint> CreateProgram;
    public readonly delegate* unmanaged<uint, uint, void> AttachShader;
    public readonly delegate* unmanaged<uint, void> LinkProgram;
    public readonly delegate* unmanaged<uint, uint, int*, void> GetProgramiv;
    public readonly delegate* unmanaged<uint, int, int*, byte*, void> GetProgramInfoLog;
    public readonly delegate* unmanaged<uint, void> UseProgram;
    public readonly delegate* unmanaged<uint, void> DeleteProgram;
    public readonly delegate* unmanaged<uint, byte*, int> GetUniformLocation;
    public readonly delegate* unmanaged<int, int, void> Uniform1i;
    public readonly delegate* unmanaged<int, float, void> Uniform1f;
    public readonly delegate* unmanaged<int, float, float, void> Uniform2f;
    public readonly delegate* unmanaged<int, uint*, void> GenVertexArrays;
    public readonly delegate* unmanaged<int, uint*, void> DeleteVertexArrays;
    public readonly delegate* unmanaged<uint, void> BindVertexArray;
    public readonly delegate* unmanaged<uint, int, int, void> DrawArrays;
    public readonly delegate* unmanaged<int, int, int, int, void> Viewport;
    public readonly delegate* unmanaged<float, float, float, float, void> ClearColor;
    public readonly delegate* unmanaged<uint, void> Clear;
    public readonly delegate* unmanaged<int, int, int, int, uint, uint, void*, void> ReadPixels;
    public readonly delegate* unmanaged<uint, void> ReadBuffer;
    public readonly delegate* unmanaged<uint> GetError;

    public GL()
    {
        static nint Load(string name)
        {
            var p = Glfw.glfwGetProcAddress(name);
            return p != IntPtr.Zero ? p : throw new InvalidOperationException($"OpenGL function {name} is missing (OpenGL 3.3 core needed)");
        }

        GenTextures = (delegate* unmanaged<int, uint*, void>)Load("glGenTextures");
        DeleteTextures = (delegate* unmanaged<int, uint*, void>)Load("glDeleteTextures");
        BindTexture = (delegate* unmanaged<uint, uint, void>)Load("glBindTexture");
        TexImage2D = (delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void>)Load("glTexImage2D");
        TexSubImage2D = (delegate* unmanaged<uint, int, int, int, int, int, uint, uint, void*, void>)Load("glTexSubImage2D");
        TexParameteri = (delegate* unmanaged<uint, uint, int, void>)Load("glTexParameteri");
        PixelStorei = (delegate* unmanaged<uint, int, void>)Load("glPixelStorei");
        ActiveTexture = (delegate* unmanaged<uint, void>)Load("glActiveTexture");
        GenBuffers = (delegate* unmanaged<int, uint*, void>)Load("glGenBuffers");
        DeleteBuffers = (delegate* unmanaged<int, uint*, void>)Load("glDeleteBuffers");
        BindBuffer = (delegate* unmanaged<uint, uint, void>)Load("glBindBuffer");
        BufferData = (delegate* unmanaged<uint, nint, void*, uint, void>)Load("glBufferData");
        MapBufferRange = (delegate* unmanaged<uint, nint, nint, uint, void*>)Load("glMapBufferRange");
        UnmapBuffer = (delegate* unmanaged<uint, byte>)Load("glUnmapBuffer");
        CreateShader = (delegate* unmanaged<uint, uint>)Load("glCreateShader");
        ShaderSource = (delegate* unmanaged<uint, int, byte**, int*, void>)Load("glShaderSource");
        CompileShader = (delegate* unmanaged<uint, void>)Load("glCompileShader");
        GetShaderiv = (delegate* unmanaged<uint, uint, int*, void>)Load("glGetShaderiv");
        GetShaderInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load("glGetShaderInfoLog");
        DeleteShader = (delegate* unmanaged<uint, void>)Load("glDeleteShader");
        CreateProgram = (delegate* unmanaged<uint>)Load("glCreateProgram");
        AttachShader = (delegate* unmanaged<uint, uint, void>)Load("glAttachShader");
        LinkProgram = (delegate* unmanaged<uint, void>)Load("glLinkProgram");
        GetProgramiv = (delegate* unmanaged<uint, uint, int*, void>)Load("glGetProgramiv");
        GetProgramInfoLog = (delegate* unmanaged<uint, int, int*, byte*, void>)Load("glGetProgramInfoLog");
        UseProgram = (delegate* unmanaged<uint, void>)Load("glUseProgram");
        DeleteProgram = (delegate* unmanaged<uint, void>)Load("glDeleteProgram");
        GetUniformLocation = (delegate* unmanaged<uint, byte*, int>)Load("glGetUniformLocation");
        Uniform1i = (delegate* unmanaged<int, int, void>)Load("glUniform1i");
        Uniform1f = (delegate* unmanaged<int, float, void>)Load("glUniform1f");
        Uniform2f = (delegate* unmanaged<int, float, float, void>)Load("glUniform2f");
        GenVertexArrays = (delegate* unmanaged<int, uint*, void>)Load("glGenVertexArrays");
        DeleteVertexArrays = (delegate* unmanaged<int, uint*, void>)Load("glDeleteVertexArrays");
        BindVertexArray = (delegate* unmanaged<uint, void>)Load("glBindVertexArray");
        DrawArrays = (delegate* unmanaged<uint, int, int, void>)Load("glDrawArrays");
        Viewport = (delegate* unmanaged<int, int, int, int, void>)Load("glViewport");
        ClearColor = (delegate* unmanaged<float, float, float, float, void>)Load("glClearColor");
        Clear = (delegate* unmanaged<uint, void>)Load("glClear");
        ReadPixels = (delegate* unmanaged<int, int, int, int, uint, uint, void*, void>)Load("glReadPixels");
        ReadBuffer = (delegate* unmanaged<uint, void>)Load("glReadBuffer");
        GetError = (delegate* unmanaged<uint>)Load("glGetError");
    }

    public int UniformLocation(uint program, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes) return GetUniformLocation(program, p);
    }

    public uint CompileProgram(string vertexSource, string fragmentSource)
    {
        var vs = Compile(VertexShader, vertexSource);
        var fs = Compile(FragmentShader, fragmentSource);
        var program = CreateProgram();
        AttachShader(program, vs);
        AttachShader(program, fs);
        LinkProgram(program);
        DeleteShader(vs);
        DeleteShader(fs);
        int ok;
        GetProgramiv(program, LinkStatus, &ok);
        if (ok == 0) throw new InvalidOperationException("shader program did not link: " + Log(program, GetProgramInfoLog));
        return program;
    }

    private uint Compile(uint kind, string source)
    {
        var shader = CreateShader(kind);
        var bytes = Encoding.UTF8.GetBytes(source + "\0");
        fixed (byte* p = bytes)
        {
            var ptr = p;
            ShaderSource(shader, 1, &ptr, null);
        }
        CompileShader(shader);
        int ok;
        GetShaderiv(shader, CompileStatus, &ok);
        if (ok == 0) throw new InvalidOperationException("shader did not compile: " + Log(shader, GetShaderInfoLog));
        return shader;
    }

    private static string Log(uint handle, delegate* unmanaged<uint, int, int*, byte*, void> getLog)
    {
        var buffer = new byte[4096];
        int length;
        fixed (byte* p = buffer) getLog(handle, buffer.Length, &length, p);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
