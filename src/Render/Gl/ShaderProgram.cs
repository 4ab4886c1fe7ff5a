using Silk.NET.OpenGL;

namespace LiveStyle.Render.Gl;

/// <summary>Compiles and links a vertex and a fragment shader; a failure carries the driver's log.</summary>
internal static class ShaderProgram
{
    public static uint Compile(GL gl, string vertexSource, string fragmentSource)
    {
        var vs = CompileShader(gl, ShaderType.VertexShader, vertexSource);
        var fs = CompileShader(gl, ShaderType.FragmentShader, fragmentSource);
        var program = gl.CreateProgram();
        gl.AttachShader(program, vs);
        gl.AttachShader(program, fs);
        gl.LinkProgram(program);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        gl.GetProgram(program, ProgramPropertyARB.LinkStatus, out var ok);
        if (ok == 0) throw new InvalidOperationException("shader program did not link: " + gl.GetProgramInfoLog(program));
        return program;
    }

    private static uint CompileShader(GL gl, ShaderType kind, string source)
    {
        var shader = gl.CreateShader(kind);
        gl.ShaderSource(shader, source);
        gl.CompileShader(shader);
        gl.GetShader(shader, ShaderParameterName.CompileStatus, out var ok);
        if (ok == 0) throw new InvalidOperationException("shader did not compile: " + gl.GetShaderInfoLog(shader));
        return shader;
    }
}
