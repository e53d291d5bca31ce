using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Synthetics;

var builder = FunctionsApplication.CreateBuilder(args);

// Relative paths in settings (kubeconfigs, CA bundles) resolve against the deployed app's root.
builder.Services.AddSynthetics(builder.Configuration, AppContext.BaseDirectory);
builder.Services.AddRealTimeOnly();

builder.Build().Run();
