import { Match, Template } from 'aws-cdk-lib/assertions';
import { Prod } from '../../lib/config/environments';
import { archiveDataPrefix } from '../../lib/archive-layout';
import { ARCHIVE_COLUMNS, glueType } from '../../lib/archive-schema';
import { synthPipeline } from '../support/synth';

const archive = Template.fromStack(synthPipeline(Prod).archive);

interface TableResource {
  Properties: {
    DatabaseName: string;
    TableInput: {
      Name: string;
      PartitionKeys: { Name: string; Type: string }[];
      Parameters: Record<string, string>;
      StorageDescriptor: {
        Columns: { Name: string; Type: string }[];
        Location: unknown;
        SerdeInfo: { SerializationLibrary: string };
      };
    };
  };
}

const [table] = Object.values(archive.findResources('AWS::Glue::Table')) as TableResource[];

describe('the archive as a table', () => {
  it('has a column for every field of an archive line, of the type the lines are checked against', () => {
    expect(table!.Properties.TableInput.Name).toBe('events');
    expect(table!.Properties.DatabaseName).toBe('events_pipeline_prod');
    expect(table!.Properties.TableInput.StorageDescriptor.Columns).toEqual(
      Object.entries(ARCHIVE_COLUMNS).map(([name, type]) => ({ Name: name.toLowerCase(), Type: glueType(type) })),
    );
    expect(table!.Properties.TableInput.StorageDescriptor.Columns).toContainEqual({
      Name: 'contexts',
      Type: 'array<struct<kind:string,key:string,name:string,anonymous:boolean,attributes:string,redactedattributes:array<string>>>',
    });
    expect(table!.Properties.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.openx.data.jsonserde.JsonSerDe',
    );
  });

  it('projects its partitions from the prefix Firehose writes, over the days the bucket keeps', () => {
    const parameters = table!.Properties.TableInput.Parameters;
    expect(table!.Properties.TableInput.PartitionKeys).toEqual([
      { Name: 'environment', Type: 'string' },
      { Name: 'dt', Type: 'string' },
      { Name: 'hour', Type: 'string' },
    ]);
    expect(parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.environment.type': 'enum',
      'projection.environment.values': 'prod',
      'projection.dt.type': 'date',
      'projection.dt.range': `NOW-${Prod.archive.expireAfterDays}DAYS,NOW`,
      'projection.hour.type': 'integer',
      'projection.hour.range': '0,23',
      'projection.hour.digits': '2',
    });
    // Firehose's expressions become the projected partitions: the template names the objects Firehose writes.
    const firehosePrefix = archiveDataPrefix('prod')
      .replace('!{timestamp:yyyy-MM-dd}', '${dt}')
      .replace('!{timestamp:HH}', '${hour}');
    const template = JSON.stringify(parameters['storage.location.template']);
    expect(template).toContain(firehosePrefix.replace('environment=prod', 'environment=${environment}'));
    // Firehose writes the day as yyyy-MM-dd, which is the projection's format.
    expect(archiveDataPrefix('prod')).toContain('dt=!{timestamp:yyyy-MM-dd}/');
    expect(parameters['projection.dt.format']).toBe('yyyy-MM-dd');
  });

  it('is queried in a workgroup that limits each query’s scan and encrypts results that expire', () => {
    archive.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'events-pipeline-prod',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: Prod.archive.queryScanLimitGb * 1e9,
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
          OutputLocation: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        },
      },
    });
    archive.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: Prod.archive.queryResultsDays })] },
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
    });
  });
});
