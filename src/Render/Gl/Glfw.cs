using System.Runtime.InteropServices;

namespace LiveStyle.Render.Gl;

/// <summary>The few GLFW 3 entry points LiveStyle uses, bound straight to Debian's libglfw.so.3.</summary>
internal static unsafe partial class Glfw
{
    private const string Lib = "libglfw.so.3";

    public const int ContextVersionMajor = 0x00022002, ContextVersionMinor = 0x00022003, OpenGlProfile = 0x00022008,
        OpenGlCoreProfile = 0x00032001, OpenGlForwardCompat = 0x00022006;
    public const int Press = 1, Release = 0;
    public const int KeyEscape = 256, KeyRight = 262, KeyLeft = 263, KeySpace = 32, KeyQ = 81, KeyS = 83, KeyF = 70, KeyP = 80,
        KeyEqual = 61, KeyMinus = 45, KeyKpAdd = 334, KeyKpSubtract = 333, Key1 = 49, Key9 = 57;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void ErrorCallback(int code, IntPtr description);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void KeyCallback(IntPtr window, int key, int scancode, int action, int mods);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void MouseButtonCallback(IntPtr window, int button, int action, int mods);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] public delegate void CursorPosCallback(IntPtr window, double x, double y);

    [DllImport(Lib)] public static extern int glfwInit();
    [DllImport(Lib)] public static extern void glfwTerminate();
    [DllImport(Lib)] public static extern IntPtr glfwSetErrorCallback(ErrorCallback? callback);
    [DllImport(Lib)] public static extern void glfwWindowHint(int hint, int value);
    [DllImport(Lib)] public static extern IntPtr glfwCreateWindow(int width, int height, [MarshalAs(UnmanagedType.LPUTF8Str)] string title, IntPtr monitor, IntPtr share);
    [DllImport(Lib)] public static extern void glfwDestroyWindow(IntPtr window);
    [DllImport(Lib)] public static extern void glfwMakeContextCurrent(IntPtr window);
    [DllImport(Lib)] public static extern IntPtr glfwGetProcAddress([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    [DllImport(Lib)] public static extern void glfwSwapInterval(int interval);
    [DllImport(Lib)] public static extern void glfwSwapBuffers(IntPtr window);
    [DllImport(Lib)] public static extern void glfwPollEvents();
    [DllImport(Lib)] public static extern void glfwWaitEventsTimeout(double timeout);
    [DllImport(Lib)] public static extern int glfwWindowShouldClose(IntPtr window);
    [DllImport(Lib)] public static extern void glfwSetWindowShouldClose(IntPtr window, int value);
    [DllImport(Lib)] public static extern void glfwSetWindowTitle(IntPtr window, [MarshalAs(UnmanagedType.LPUTF8Str)] string title);
    [DllImport(Lib)] public static extern void glfwGetFramebufferSize(IntPtr window, out int width, out int height);
    [DllImport(Lib)] public static extern void glfwGetWindowSize(IntPtr window, out int width, out int height);
    [DllImport(Lib)] public static extern void glfwGetWindowPos(IntPtr window, out int x, out int y);
    [DllImport(Lib)] public static extern IntPtr glfwSetKeyCallback(IntPtr window, KeyCallback callback);
    [DllImport(Lib)] public static extern IntPtr glfwSetMouseButtonCallback(IntPtr window, MouseButtonCallback callback);
    [DllImport(Lib)] public static extern IntPtr glfwSetCursorPosCallback(IntPtr window, CursorPosCallback callback);
    [DllImport(Lib)] public static extern IntPtr glfwGetPrimaryMonitor();
    [DllImport(Lib)] public static extern int* glfwGetVideoMode(IntPtr monitor); // width, height, red, green, blue, refreshRate
    [DllImport(Lib)] public static extern void glfwSetWindowMonitor(IntPtr window, IntPtr monitor, int x, int y, int width, int height, int refreshRate);
}
