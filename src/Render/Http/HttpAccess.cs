using System.Net;
using System.Security.Cryptography;
using LiveStyle.Render.Sinks;

namespace LiveStyle.Render.Http;

/// <summary>
/// Who may use LiveStyle's HTTP servers (the browser source and the web page): loopback by default; beyond this
/// machine only when asked for, and then every request carries the random token printed at start.
/// </summary>
public static class HttpAccess
{
    public static readonly string[] Loopback = ["127.0.0.1", "localhost", "[::1]"];

    public static bool IsLoopback(string host) => Loopback.Contains(host);

    /// <summary>Refuses a host beyond this machine unless remote access was asked for.</summary>
    public static void CheckHost(string host, bool allowRemote, string what)
    {
        if (!allowRemote && !IsLoopback(host))
            throw new SinkException($"{what}: serving beyond this machine needs --allow-remote (a token is then required in the URL)");
    }

    /// <summary>With remote access every URL needs this random token; on loopback alone none is needed.</summary>
    public static string? Token(bool allowRemote) => allowRemote ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) : null;

    public static bool TokenOk(HttpListenerRequest request, string? token) => token == null || request.QueryString["token"] == token;
}
