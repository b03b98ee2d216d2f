using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Fanout.Gateway.Dashboard;

/// <summary>
/// The dashboard at <c>/ui</c>: static HTML, CSS and JavaScript modules embedded in this assembly (no build step,
/// nothing fetched at run time). The files hold no data; every figure comes from the JSON API behind its API key.
/// </summary>
internal static class DashboardRoutes
{
    public const string Path = "/ui";

    static readonly IFileProvider Files =
        new ManifestEmbeddedFileProvider(typeof(DashboardRoutes).Assembly, "Dashboard/ui");

    static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        // "/ui" and "/ui/" match the same route: only the first is sent on to the page's own address, so its
        // relative links (app.css, app.js) resolve under /ui/.
        app.MapGet(Path, (HttpContext context) => context.Request.Path.Value!.EndsWith('/')
            ? Serve(null, context)
            : TypedResults.Redirect(Path + "/")).ExcludeFromDescription();
        app.MapGet(Path + "/{**file}", Serve).ExcludeFromDescription();
        return app;
    }

    static IResult Serve(string? file, HttpContext context)
    {
        var name = string.IsNullOrEmpty(file) ? "index.html" : file;
        var info = Files.GetFileInfo(name);
        if (!info.Exists || info.IsDirectory)
            return TypedResults.NotFound();
        if (!ContentTypes.TryGetContentType(name, out var type))
            type = "application/octet-stream";
        // Served again after an upgrade rather than from a stale cache; the files are small.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        return TypedResults.Stream(info.CreateReadStream(), type, lastModified: info.LastModified);
    }
}
