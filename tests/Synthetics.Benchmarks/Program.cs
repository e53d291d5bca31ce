using Synthetics.Benchmarks;

return await BenchmarkCommands.RunAsync(args);
