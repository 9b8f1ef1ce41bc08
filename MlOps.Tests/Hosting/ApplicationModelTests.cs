using MlOps.Hosting;
using MlOps.Hosting.ApplicationModel;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Hosting;

public sealed class ApplicationModelTests
{
    private static readonly ValueResolutionContext s_fromContainer = new(FromContainerNetwork: true);

    [Theory]
    [InlineData("a")]
    [InlineData("postgres")]
    [InlineData("pg-1")]
    [InlineData("Model2-Serving")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Name_FollowingAspireRules_IsAccepted(string name)
    {
        Assert.Null(ResourceNameRules.Validate(name));
        Assert.Equal(name, new ContainerResource(name).Name);
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("1pg", "must start with an ASCII letter")]
    [InlineData("-pg", "must start with an ASCII letter")]
    [InlineData("pg-", "must not end with a hyphen")]
    [InlineData("pg--db", "must not contain consecutive hyphens")]
    [InlineData("pg_db", "contains '_'")]
    [InlineData("pg.db", "contains '.'")]
    [InlineData("pé", "contains 'é'")]
    [InlineData("a2345678901234567890123456789012345678901234567890123456789012345", "longer than 64 characters")]
    public void Name_BreakingAspireRules_IsRejectedWithTheReason(string name, string reason)
    {
        Assert.Contains(reason, ResourceNameRules.Validate(name), StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new ContainerResource(name));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddResource_NameTakenInAnyCase_Throws()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        builder.AddContainer("api", "example/api");

        var error = Assert.Throws<DistributedApplicationException>(() => builder.AddContainer("API", "example/api"));

        Assert.Equal("Cannot add resource 'API': a resource with that name already exists.", error.Message);
        Assert.Single(builder.Resources);
    }

    [Fact]
    public void WithEndpoint_SameNameTwice_Throws()
    {
        using var temp = new TempDirectory();
        var api = CreateBuilder(temp).AddContainer("api", "example/api").WithHttpEndpoint(targetPort: 80);

        Assert.Throws<DistributedApplicationException>(() => api.WithHttpEndpoint(targetPort: 81));
    }

    [Fact]
    public void WithMethods_EachAddOneAnnotationAndResolveNothing()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var db = builder.AddPostgres("pg").AddDatabase("db");
        var job = builder.AddContainer("job", "example/job");
        var calls = 0;
        var api = builder.AddContainer("api", "example/api", "1.0");

        api.WithEnvironment("A", "1");
        api.WithEnvironment(_ => calls++);
        api.WithArgs("--x");
        api.WithArgs(_ => calls++);
        api.WithHttpEndpoint(port: 8080, targetPort: 80, env: "PORT", isExternal: true);
        api.WithHttpHealthCheck("/ready", statusCode: 204);
        api.WaitFor(db);
        api.WaitForCompletion(job, exitCode: 3);
        api.WithExplicitStart();
        api.WithContainerRuntimeArgs("--gpus", "all");
        api.WithVolume("cache", "/cache", isReadOnly: true);
        api.WithBindMount("conf", "/etc/api");
        api.WithEntrypoint("/bin/api");
        api.WithImage("example/api2", "2.0");

        Assert.Equal(0, calls);
        Assert.Equal(
            ["ContainerImageAnnotation", "EnvironmentCallbackAnnotation", "EnvironmentCallbackAnnotation", "CommandLineArgsCallbackAnnotation",
             "CommandLineArgsCallbackAnnotation", "EndpointAnnotation", "HttpHealthCheckAnnotation", "WaitAnnotation", "WaitAnnotation",
             "ExplicitStartupAnnotation", "ContainerRuntimeArgsCallbackAnnotation", "ContainerMountAnnotation", "ContainerMountAnnotation",
             "ContainerEntrypointAnnotation"],
            api.Resource.Annotations.Select(a => a.GetType().Name));
        var endpoint = Assert.Single(api.Resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("http", "http", 8080, 80, true, "PORT"), (endpoint.Name, endpoint.UriScheme, endpoint.Port, endpoint.TargetPort, endpoint.IsExternal, endpoint.TargetPortEnvironmentVariable));
        Assert.Null(endpoint.AllocatedEndpoint);
        var health = Assert.Single(api.Resource.Annotations.OfType<HttpHealthCheckAnnotation>());
        Assert.Equal(("/ready", "http", 204), (health.Path, health.EndpointName, health.StatusCode));
        var waits = api.Resource.Annotations.OfType<WaitAnnotation>().ToList();
        Assert.Equal((db.Resource, WaitType.WaitUntilHealthy), (waits[0].Resource, waits[0].WaitType));
        Assert.Equal((job.Resource, WaitType.WaitForCompletion, 3), (waits[1].Resource, waits[1].WaitType, waits[1].ExitCode));
        Assert.Equal(
            [new ContainerMountAnnotation("cache", "/cache", ContainerMountType.Volume, true),
             new ContainerMountAnnotation(Path.Combine(builder.AppHostDirectory, "conf"), "/etc/api", ContainerMountType.BindMount)],
            api.Resource.Annotations.OfType<ContainerMountAnnotation>());
        Assert.Equal("example/api2:2.0", Assert.Single(api.Resource.Annotations.OfType<ContainerImageAnnotation>()).Reference);
    }

    [Fact]
    public void AddDockerfile_WithBuildArg_AttachesToTheBuild_AndAnImageContainerRefusesBuildArgs()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var param = builder.AddParameter("version");

        var built = builder.AddDockerfile("trainer", "src", "docker/Trainer.Dockerfile")
            .WithBuildArg("CONFIGURATION", "Release")
            .WithBuildArg("VERSION", param.Resource)
            .WithImageTag("ci");

        var build = Assert.Single(built.Resource.Annotations.OfType<DockerfileBuildAnnotation>());
        Assert.Equal(Path.Combine(temp.Path, "src"), build.ContextPath);
        Assert.Equal(Path.Combine(temp.Path, "src", "docker", "Trainer.Dockerfile"), build.DockerfilePath);
        Assert.Equal(new Dictionary<string, object> { ["CONFIGURATION"] = "Release", ["VERSION"] = param.Resource }, build.BuildArguments);
        Assert.Equal("mlops/trainer:ci", built.Resource.Annotations.OfType<ContainerImageAnnotation>().Single().Reference);
        Assert.Throws<DistributedApplicationException>(() => builder.AddContainer("api", "example/api").WithBuildArg("X", "1"));
    }

    [Fact]
    public void AddPostgres_AddDatabase_WithReference_AttachTheirAnnotations()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var pg = builder.AddPostgres("pg").WithDataVolume();
        var db = pg.AddDatabase("orders-db", "orders");
        var api = builder.AddContainer("api", "example/api").WithReference(db);

        Assert.Equal(["pg-password", "pg", "orders-db", "api"], builder.Resources.Select(r => r.Name));
        Assert.True(((ParameterResource)builder.Resources[0]).Secret);
        Assert.Equal(new GenerateParameterDefault(22), ((ParameterResource)builder.Resources[0]).Generate);
        Assert.Equal("docker.io/library/postgres:17.6", pg.Resource.Annotations.OfType<ContainerImageAnnotation>().Single().Reference);
        Assert.Equal(5432, pg.Resource.Annotations.OfType<EndpointAnnotation>().Single().TargetPort);
        Assert.Single(pg.Resource.Annotations.OfType<PostgresHealthCheckAnnotation>());
        Assert.Equal(new ContainerMountAnnotation("mlops-pg-data", "/var/lib/postgresql/data", ContainerMountType.Volume),
            pg.Resource.Annotations.OfType<ContainerMountAnnotation>().Single());
        Assert.Equal(new Dictionary<string, string> { ["orders-db"] = "orders" }, pg.Resource.Databases);
        var parent = Assert.Single(db.Resource.Annotations.OfType<ResourceRelationshipAnnotation>());
        Assert.Equal((pg.Resource, "Parent"), (parent.Resource, parent.Type));
        var reference = Assert.Single(api.Resource.Annotations.OfType<ResourceRelationshipAnnotation>());
        Assert.Equal((db.Resource, "Reference"), ((IResource)reference.Resource, reference.Type));
        Assert.Single(api.Resource.Annotations.OfType<EnvironmentCallbackAnnotation>());
    }

    [Fact]
    public async Task Callbacks_ReferringToEndpointsDeclaredLater_ResolveOnceAllocated()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var web = builder.AddContainer("web", "example/web");
        // The references come before web declares its endpoint: nothing may be looked up yet.
        var api = builder.AddProject("api", Path.Combine(PublishingTopology.RepoRoot, "MlOps.Serving", "MlOps.Serving.csproj"))
            .WithEnvironment("WEB_URL", web.GetEndpoint("http"))
            .WithReference(web.GetEndpoint("http"))
            .WithArgs("--web-port", web.GetEndpoint("http").Property(EndpointProperty.Port));
        web.WithHttpEndpoint(targetPort: 80);
        var env = await EvaluateEnvironmentAsync(api.Resource).DefaultTimeout();
        var args = await EvaluateArgsAsync(api.Resource).DefaultTimeout();
        await Assert.ThrowsAsync<ValueNotAvailableException>(() => ResolveAsync(env["WEB_URL"])).DefaultTimeout();

        web.Resource.Annotations.OfType<EndpointAnnotation>().Single().AllocatedEndpoint = new AllocatedEndpoint("localhost", 49152, "web", 80);

        Assert.Equal("http://localhost:49152", await ResolveAsync(env["WEB_URL"]).DefaultTimeout());
        Assert.Equal("http://localhost:49152", await ResolveAsync(env["services__web__http__0"]).DefaultTimeout());
        Assert.Equal("http://web:80", await ResolveAsync(env["WEB_URL"], s_fromContainer).DefaultTimeout());
        var resolvedArgs = await Task.WhenAll(args.Select(a => ResolveAsync(a))).DefaultTimeout();
        Assert.Equal("--web-port 49152", string.Join(" ", resolvedArgs));
    }

    [Fact]
    public async Task WithReference_ToAResource_PassesEndpointsAddedAfterwards()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        // Projects and executables take part in service discovery (containers are referenced through GetEndpoint).
        var web = builder.AddExecutable("web", "web-server", ".").WithHttpEndpoint(targetPort: 80);
        var api = builder.AddContainer("api", "example/api").WithReference(web);
        // An endpoint added after WithReference still reaches the referencing resource.
        web.WithEndpoint("metrics", "http", targetPort: 9090);

        var env = await EvaluateEnvironmentAsync(api.Resource).DefaultTimeout();

        Assert.Equal(["services__web__http__0", "services__web__metrics__0"], env.Keys);
        Assert.Equal("{web.bindings.metrics.url}", ((IManifestExpressionProvider)env["services__web__metrics__0"]).ValueExpression);
    }

    [Fact]
    public async Task ConnectionStrings_HaveManifestAndValueForms()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp, "--Parameters:pg-pass=p@ss");
        var password = builder.AddParameter("pg-pass", secret: true);
        var pg = builder.AddPostgres("pg", password);
        var db = pg.AddDatabase("orders-db", "orders");
        pg.Resource.PrimaryEndpoint.Annotation.AllocatedEndpoint = new AllocatedEndpoint("localhost", 54321, "pg", 5432);

        Assert.Equal("Host={pg.bindings.tcp.host};Port={pg.bindings.tcp.port};Username=postgres;Password={pg-pass.value}",
            pg.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{pg.connectionString};Database=orders", db.Resource.ConnectionStringExpression.ValueExpression);
        Assert.Equal("{orders-db.connectionString}", ((IManifestExpressionProvider)db.Resource).ValueExpression);
        Assert.Equal("Host=localhost;Port=54321;Username=postgres;Password=p@ss;Database=orders",
            await ResolveAsync(db.Resource).DefaultTimeout());
        Assert.Equal("Host=pg;Port=5432;Username=postgres;Password=p@ss;Database=orders",
            await ResolveAsync(db.Resource, s_fromContainer).DefaultTimeout());
    }

    [Fact]
    public async Task NestedExpressions_InlineTheirHolesAndKeepLiteralBraces()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp, "--Parameters:user=ada");
        var user = builder.AddParameter("user");
        var endpoint = builder.AddContainer("api", "example/api").WithHttpEndpoint(targetPort: 80).GetEndpoint("http");
        endpoint.Annotation.AllocatedEndpoint = new AllocatedEndpoint("localhost", 5001, "api", 80);
        var hostPort = ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}");

        var outer = ReferenceExpression.Create($"{{\"user\":\"{user.Resource}\"}} {endpoint.Property(EndpointProperty.Scheme)}://{hostPort}/x");

        Assert.Equal(4, outer.ValueProviders.Count);
        Assert.Equal("{\"user\":\"{user.value}\"} {api.bindings.http.scheme}://{api.bindings.http.host}:{api.bindings.http.port}/x", outer.ValueExpression);
        Assert.Equal("{\"user\":\"ada\"} http://localhost:5001/x", await ResolveAsync(outer).DefaultTimeout());
        Assert.Equal("{literal}", ReferenceExpression.Literal("{literal}").ValueExpression);
    }

    [Fact]
    public async Task EndpointReference_Properties_FromHostAndFromContainerNetwork()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var endpoint = builder.AddContainer("api", "example/api").WithHttpEndpoint(port: 8080, targetPort: 80).GetEndpoint("http");
        endpoint.Annotation.AllocatedEndpoint = new AllocatedEndpoint("localhost", 8080, "api", 80);

        var expected = new (EndpointProperty Property, string Manifest, string Host, string Container)[]
        {
            (EndpointProperty.Url, "{api.bindings.http.url}", "http://localhost:8080", "http://api:80"),
            (EndpointProperty.Host, "{api.bindings.http.host}", "localhost", "api"),
            (EndpointProperty.Port, "{api.bindings.http.port}", "8080", "80"),
            (EndpointProperty.TargetPort, "{api.bindings.http.targetPort}", "80", "80"),
            (EndpointProperty.HostAndPort, "{api.bindings.http.host}:{api.bindings.http.port}", "localhost:8080", "api:80"),
            (EndpointProperty.Scheme, "{api.bindings.http.scheme}", "http", "http"),
        };
        foreach (var (property, manifest, host, container) in expected)
        {
            var part = endpoint.Property(property);
            Assert.Equal(manifest, part.ValueExpression);
            Assert.Equal(host, await ResolveAsync(part).DefaultTimeout());
            Assert.Equal(container, await ResolveAsync(part, s_fromContainer).DefaultTimeout());
        }

        Assert.Equal("{api.bindings.http.url}", endpoint.ValueExpression);
        Assert.True(endpoint.IsAllocated);
    }

    [Fact]
    public async Task EndpointReference_OfAProcess_IsTheSameFromTheContainerNetwork()
    {
        using var temp = new TempDirectory();
        var builder = CreateBuilder(temp);
        var endpoint = builder.AddExecutable("tool", "python3", ".").WithHttpEndpoint(env: "PORT").GetEndpoint("http");
        endpoint.Annotation.AllocatedEndpoint = new AllocatedEndpoint("localhost", 40000);

        Assert.Equal("http://localhost:40000", await ResolveAsync(endpoint, s_fromContainer).DefaultTimeout());
        Assert.Equal("40000", await ResolveAsync(endpoint.Property(EndpointProperty.TargetPort)).DefaultTimeout());
        Assert.Throws<InvalidOperationException>(() => new EndpointReference(endpoint.Resource, "missing").Annotation);
    }

    [Fact]
    public void GeneratedParameter_IsKeptInAUserOnlyFile_AndReusedByTheNextBuilder()
    {
        using var temp = new TempDirectory();
        var first = CreateBuilder(temp).AddGeneratedParameter("token", minLength: 30).Resource.Value;

        var second = CreateBuilder(temp).AddGeneratedParameter("token", minLength: 30).Resource.Value;

        Assert.Equal(first, second);
        Assert.True(first.Length >= 30);
        var file = Path.Combine(temp.Path, "data", "secrets.json");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.NotEqual(first, CreateBuilder(temp).AddGeneratedParameter("other").Resource.Value);
        Assert.Equal("from-config", CreateBuilder(temp, "--Parameters:token=from-config").AddGeneratedParameter("token").Resource.Value);
    }

    [Fact]
    public void Parameter_WithoutValue_ThrowsMissingParameterValueExceptionNamingEveryWayToSetIt()
    {
        using var temp = new TempDirectory();
        var parameter = CreateBuilder(temp).AddParameter("api-key", secret: true).Resource;

        var error = Assert.Throws<MissingParameterValueException>(() => parameter.Value);

        Assert.Equal("api-key", error.ParameterName);
        Assert.Equal("Parameter 'api-key' has no value: set 'Parameters:api-key' in configuration, an environment variable " +
            "Parameters__api-key, or --Parameters:api-key=<value> on the command line.", error.Message);
    }

    private static DistributedApplicationBuilder CreateBuilder(TempDirectory temp, params string[] args) =>
        DistributedApplication.CreateBuilder(["--data-dir", Path.Combine(temp.Path, "data"), .. args], temp.Path);

    private static async Task<Dictionary<string, object>> EvaluateEnvironmentAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var annotation in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await annotation.Callback(context).DefaultTimeout();
        }

        return context.EnvironmentVariables;
    }

    private static async Task<List<object>> EvaluateArgsAsync(IResource resource)
    {
        var context = new CommandLineArgsCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var annotation in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await annotation.Callback(context).DefaultTimeout();
        }

        return context.Args;
    }

    private static async Task<string?> ResolveAsync(object value, ValueResolutionContext? context = null) => value switch
    {
        string s => s,
        IValueProvider provider => await provider.GetValueAsync(context ?? ValueResolutionContext.Host, CancellationToken.None).DefaultTimeout(),
        _ => throw new ArgumentException($"Not a value: {value}", nameof(value)),
    };
}
