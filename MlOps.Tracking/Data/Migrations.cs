namespace MlOps.Tracking.Data;

/// <summary>The schema, one script per version; a script never changes once released, a change is a new script.</summary>
internal static class Migrations
{
    public static IReadOnlyList<string> All { get; } = [V1];

    private const string V1 = """
        create table experiments (
            experiment_id bigserial primary key,
            name text not null unique,
            artifact_location text,
            lifecycle_stage text not null default 'active',
            creation_time bigint not null,
            last_update_time bigint not null);
        create table experiment_tags (
            experiment_id bigint not null references experiments on delete cascade,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (experiment_id, key));
        insert into experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
            values (0, 'Default', 'mlflow-artifacts:/0', (extract(epoch from now()) * 1000)::bigint, (extract(epoch from now()) * 1000)::bigint);

        create table runs (
            run_uuid text primary key,
            experiment_id bigint not null references experiments,
            run_name text not null,
            user_id text not null default '',
            status text not null,
            start_time bigint not null,
            end_time bigint,
            artifact_uri text not null,
            lifecycle_stage text not null default 'active');
        create index runs_experiment on runs (experiment_id, start_time desc);
        create table tags (
            run_uuid text not null references runs on delete cascade,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (run_uuid, key));
        create table params (
            run_uuid text not null references runs on delete cascade,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (run_uuid, key));
        create table metrics (
            run_uuid text not null references runs on delete cascade,
            key text not null,
            value double precision not null,
            timestamp bigint not null,
            step bigint not null,
            seq bigserial);
        create index metrics_history on metrics (run_uuid, key, step, timestamp);
        create table latest_metrics (
            run_uuid text not null references runs on delete cascade,
            key text not null,
            value double precision not null,
            timestamp bigint not null,
            step bigint not null,
            seq bigserial,
            primary key (run_uuid, key));

        create table datasets (
            dataset_uuid text primary key,
            experiment_id bigint not null references experiments,
            name text not null,
            digest text not null,
            source_type text not null,
            source text not null,
            schema text,
            profile text,
            unique (experiment_id, name, digest));
        create table inputs (
            run_uuid text not null references runs on delete cascade,
            dataset_uuid text not null references datasets,
            seq bigserial,
            primary key (run_uuid, dataset_uuid));
        create table input_tags (
            run_uuid text not null,
            dataset_uuid text not null,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (run_uuid, dataset_uuid, key),
            foreign key (run_uuid, dataset_uuid) references inputs on delete cascade);

        create table registered_models (
            name text primary key,
            creation_timestamp bigint not null,
            last_updated_timestamp bigint not null,
            description text not null default '',
            last_version integer not null default 0);
        create table registered_model_tags (
            name text not null references registered_models on delete cascade on update cascade,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (name, key));
        create table model_versions (
            name text not null references registered_models on delete cascade on update cascade,
            version integer not null,
            creation_timestamp bigint not null,
            last_updated_timestamp bigint not null,
            description text not null default '',
            user_id text not null default '',
            current_stage text not null default 'None',
            source text not null,
            run_id text not null default '',
            run_link text not null default '',
            status text not null default 'READY',
            primary key (name, version));
        create table model_version_tags (
            name text not null,
            version integer not null,
            key text not null,
            value text not null,
            seq bigserial,
            primary key (name, version, key),
            foreign key (name, version) references model_versions on delete cascade on update cascade);
        create table registered_model_aliases (
            name text not null references registered_models on delete cascade on update cascade,
            alias text not null,
            version integer not null,
            primary key (name, alias));
        """;
}
