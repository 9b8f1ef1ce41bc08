using MlOps.Mlflow;
using MlOps.Tests.Infrastructure;

namespace MlOps.Tests.Mlflow;

public sealed class MlModelTests
{
    // The MLmodel text the trainer wrote with its own writer before it moved to MlModel.ForOnnx: the golden file.
    private static string TrainerText(string runId = "") => $$"""
        artifact_path: model
        flavors:
          onnx:
            code: null
            data: model.onnx
            onnx_version: 1.17.0
            providers:
            - CPUExecutionProvider
          python_function:
            data: model.onnx
            loader_module: mlflow.onnx
        mlflow_version: 2.19.0
        model_size_bytes: 123456
        model_uuid: 9c4e2b7a1f3d4e8a9b0c1d2e3f4a5b6c
        run_id: {{(runId.Length == 0 ? "''" : runId)}}
        signature:
          inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "string", "name": "merchant\u0027s category", "required": true}]'
          outputs: '[{"type": "long", "name": "label", "required": true}, {"type": "float", "name": "probability", "required": true}]'
          params: null
        utc_time_created: '2026-11-24 04:05:06.789123'

        """.ReplaceLineEndings("\n");

    [Fact]
    public void Parse_TrainerFile_ReadsEveryField()
    {
        var model = MlModel.Parse(TrainerText("62dbcb19f8464547944d4f58f183219b"));

        Assert.Equal("model", model.ArtifactPath);
        Assert.Equal("62dbcb19f8464547944d4f58f183219b", model.RunId);
        Assert.Equal("9c4e2b7a1f3d4e8a9b0c1d2e3f4a5b6c", model.ModelUuid);
        Assert.Equal("2.19.0", model.MlflowVersion);
        Assert.Equal(123456, model.ModelSizeBytes);
        Assert.Equal("model.onnx", model.OnnxFile);
        Assert.Equal(new DateTime(2026, 11, 24, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1230), model.CreatedUtc);
        Assert.Equal("1.17.0", model.Flavors["onnx"]["onnx_version"]);
        Assert.Null(model.Flavors["onnx"]["code"]);
        Assert.Equal(["CPUExecutionProvider"], Assert.IsType<List<object?>>(model.Flavors["onnx"]["providers"]));
        Assert.Equal("mlflow.onnx", model.Flavors["python_function"]["loader_module"]);
        Assert.Equal(
            [new SignatureColumn("amount", "double"), new SignatureColumn("merchant's category", "string")],
            model.Signature!.ParseInputs());
        Assert.Equal(["label", "probability"], model.Signature.ParseOutputs().Select(c => c.Name));
        Assert.Null(model.Signature.Params);
        Assert.Empty(model.Other);
    }

    [Theory]
    [InlineData("")]
    [InlineData("62dbcb19f8464547944d4f58f183219b")]
    public void ToYaml_TrainerFile_RoundTripsByteForByte(string runId)
    {
        var text = TrainerText(runId);

        Assert.Equal(text, MlModel.Parse(text).ToYaml());
    }

    [Fact]
    public void FromColumns_TrainerColumns_SameJsonAsTrainer()
    {
        var trainer = MlModel.Parse(TrainerText()).Signature!;

        var ours = ModelSignature.FromColumns(trainer.ParseInputs(), trainer.ParseOutputs());

        Assert.Equal(trainer.Inputs, ours.Inputs);
        Assert.Equal(trainer.Outputs, ours.Outputs);
    }

    [Fact]
    public void ForOnnx_SameValuesAsTrainer_SameText()
    {
        var ours = MlModel.ForOnnx("model",
            [new SignatureColumn("amount", "double"), new SignatureColumn("merchant's category", "string")],
            [new SignatureColumn("label", "long"), new SignatureColumn("probability", "float")],
            "9c4e2b7a1f3d4e8a9b0c1d2e3f4a5b6c",
            new DateTime(2026, 11, 24, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1230),
            "62dbcb19f8464547944d4f58f183219b",
            123456);

        Assert.Equal(TrainerText("62dbcb19f8464547944d4f58f183219b"), ours.ToYaml());
    }

    [Fact]
    public void ToYaml_CapturedMlflowFile_RoundTripsByteForByte()
    {
        var text = FakeMlflowServer.ReadCapture("artifact_download_MLmodel.txt");

        var model = MlModel.Parse(text);

        Assert.Equal(("model", "62dbcb19f8464547944d4f58f183219b"), (model.ArtifactPath, model.RunId));
        Assert.Equal("smoke", model.Flavors["python_function"]["loader_module"]);
        Assert.Null(model.OnnxFile);
        Assert.Null(model.Signature);
        Assert.Equal(text, model.ToYaml());
    }

    [Fact]
    public void Parse_MlflowWrappedSignatureAndExtras_FoldsLinesAndKeepsUnknownKeys()
    {
        // How MLflow's yaml.safe_dump writes a long signature: wrapped at 80 columns inside the quotes.
        const string Text = """
            artifact_path: model
            flavors:
              onnx:
                code: null
                data: model.onnx
                onnx_version: 1.16.1
                providers:
                - CUDAExecutionProvider
                - CPUExecutionProvider
              python_function:
                data: model.onnx
                env:
                  conda: conda.yaml
                  virtualenv: python_env.yaml
                loader_module: mlflow.onnx
                python_version: 3.11.9
            metadata:
              owner: 'team: fraud'
              ratio: 0.5
              enabled: true
            mlflow_version: 2.19.0
            model_size_bytes: 2048
            model_uuid: 5c7f0b7e2a3d4c1b9e8f7a6b5c4d3e2f
            run_id: 62dbcb19f8464547944d4f58f183219b
            saved_input_example_info:
              artifact_path: input_example.json
              type: dataframe
            signature:
              inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "string",
                "name": "merchant''s category", "required": true}]'
              outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1,
                2]}}]'
              params: null
            utc_time_created: '2026-11-24 02:50:58.123456'

            """;

        var model = MlModel.Parse(Text);

        Assert.Equal(
            [new SignatureColumn("amount", "double"), new SignatureColumn("merchant's category", "string")],
            model.Signature!.ParseInputs());
        var output = Assert.Single(model.Signature.ParseOutputs());
        Assert.Equal(("tensor", "float32"), (output.Type, output.TensorType));
        Assert.Equal([-1L, 2L], output.TensorShape!);
        Assert.Equal("3.11.9", model.Flavors["python_function"]["python_version"]);
        var metadata = Assert.IsType<Dictionary<string, object?>>(model.Other["metadata"]);
        Assert.Equal(("team: fraud", 0.5, true), (metadata["owner"], metadata["ratio"], metadata["enabled"]));
        Assert.Equal(2048L, model.ModelSizeBytes);
        var reread = MlModel.Parse(model.ToYaml());
        Assert.Equal(model.Signature, reread.Signature);
        Assert.Equal("team: fraud", Assert.IsType<Dictionary<string, object?>>(reread.Other["metadata"])["owner"]);
        Assert.Equal(model.ToYaml(), reread.ToYaml());
    }

    [Fact]
    public void SaveAndLoad_Folder_WritesMlmodelFile()
    {
        using var temp = new TempDirectory();
        var model = MlModel.Parse(TrainerText()) with { RunId = "abc" };

        model.Save(temp.Path);

        Assert.Equal("abc", MlModel.Load(temp.Path).RunId);
        Assert.Equal([MlModel.FileName], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("flavors: [a, b]\n", "flavors")]
    [InlineData("a: 1\n  b: 2\n", "indentation")]
    [InlineData("a:\n    b: 1\n  c: 2\n", "line 3")]
    [InlineData("a: |\n  text\n", "block scalars")]
    [InlineData("a: 'open\n", "unterminated")]
    [InlineData("- a\n", "not a mapping")]
    public void Parse_Unsupported_ThrowsFormatWithReason(string text, string mention)
    {
        var error = Assert.Throws<FormatException>(() => MlModel.Parse(text));

        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }
}
