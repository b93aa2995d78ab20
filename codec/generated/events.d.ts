import * as $protobuf from "protobufjs";
import Long = require("long");

export namespace events {

    namespace v1 {

        interface IEventBatch extends events.v1.EventBatch.$Properties {
        }

        class EventBatch {
            constructor(properties?: events.v1.EventBatch.$Properties);
            $unknowns?: Uint8Array[];
            formatVersion: number;
            envelopes: events.v1.Envelope.$Properties[];
            events: events.v1.Event.$Properties[];
            recordId: Uint8Array;
            compression: events.v1.Compression;
            compressedBatch: Uint8Array;
            static create(properties: events.v1.EventBatch.$Shape): events.v1.EventBatch & events.v1.EventBatch.$Shape;
            static create(properties?: events.v1.EventBatch.$Properties): events.v1.EventBatch;
            static encode(message: events.v1.EventBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.EventBatch & events.v1.EventBatch.$Shape;
        }

        namespace EventBatch {
            interface $Properties {
                formatVersion?: (number|null);
                envelopes?: (events.v1.Envelope.$Properties[]|null);
                events?: (events.v1.Event.$Properties[]|null);
                recordId?: (Uint8Array|null);
                compression?: (events.v1.Compression|null);
                compressedBatch?: (Uint8Array|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              formatVersion?: number|null;
              envelopes?: events.v1.Envelope.$Shape[]|null;
              events?: events.v1.Event.$Shape[]|null;
              recordId?: Uint8Array|null;
              compression?: events.v1.Compression|null;
              compressedBatch?: Uint8Array|null;
              $unknowns?: Uint8Array[];
            };
        }

        enum Compression {
            COMPRESSION_UNSPECIFIED = 0,
            COMPRESSION_DEFLATE_RAW = 1,
            COMPRESSION_ZSTD = 2
        }

        interface IEnvelope extends events.v1.Envelope.$Properties {
        }

        class Envelope {
            constructor(properties?: events.v1.Envelope.$Properties);
            $unknowns?: Uint8Array[];
            environmentId: string;
            receivedAtMs: number;
            payloadId: string;
            sdkName: string;
            sdkVersion: string;
            endpoint: events.v1.Endpoint;
            tags: string;
            wrapper: string;
            static create(properties: events.v1.Envelope.$Shape): events.v1.Envelope & events.v1.Envelope.$Shape;
            static create(properties?: events.v1.Envelope.$Properties): events.v1.Envelope;
            static encode(message: events.v1.Envelope.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.Envelope & events.v1.Envelope.$Shape;
        }

        namespace Envelope {
            interface $Properties {
                environmentId?: (string|null);
                receivedAtMs?: (number|null);
                payloadId?: (string|null);
                sdkName?: (string|null);
                sdkVersion?: (string|null);
                endpoint?: (events.v1.Endpoint|null);
                tags?: (string|null);
                wrapper?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.Envelope.$Properties;
        }

        enum Endpoint {
            ENDPOINT_UNSPECIFIED = 0,
            ENDPOINT_SERVER = 1,
            ENDPOINT_MOBILE = 2,
            ENDPOINT_CLIENT = 3
        }

        interface IEvent extends events.v1.Event.$Properties {
        }

        class Event {
            constructor(properties?: events.v1.Event.$Properties);
            $unknowns?: Uint8Array[];
            envelopeIndex: number;
            creationDateMs: number;
            payloadPosition: number;
            feature?: (events.v1.FeatureEvent.$Properties|null);
            custom?: (events.v1.CustomEvent.$Properties|null);
            identify?: (events.v1.IdentifyEvent.$Properties|null);
            index?: (events.v1.IndexEvent.$Properties|null);
            summary?: (events.v1.SummaryEvent.$Properties|null);
            debug?: (events.v1.FeatureEvent.$Properties|null);
            migrationOp?: (events.v1.MigrationOpEvent.$Properties|null);
            alias?: (events.v1.AliasEvent.$Properties|null);
            click?: (events.v1.ClickEvent.$Properties|null);
            pageview?: (events.v1.PageviewEvent.$Properties|null);
            diagnostic?: (events.v1.DiagnosticEvent.$Properties|null);
            kind?: ("feature"|"custom"|"identify"|"index"|"summary"|"debug"|"migrationOp"|"alias"|"click"|"pageview"|"diagnostic");
            static create(properties: events.v1.Event.$Shape): events.v1.Event & events.v1.Event.$Shape;
            static create(properties?: events.v1.Event.$Properties): events.v1.Event;
            static encode(message: events.v1.Event.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.Event & events.v1.Event.$Shape;
        }

        namespace Event {
            interface $Properties {
                envelopeIndex?: (number|null);
                creationDateMs?: (number|null);
                payloadPosition?: (number|null);
                feature?: (events.v1.FeatureEvent.$Properties|null);
                custom?: (events.v1.CustomEvent.$Properties|null);
                identify?: (events.v1.IdentifyEvent.$Properties|null);
                index?: (events.v1.IndexEvent.$Properties|null);
                summary?: (events.v1.SummaryEvent.$Properties|null);
                debug?: (events.v1.FeatureEvent.$Properties|null);
                migrationOp?: (events.v1.MigrationOpEvent.$Properties|null);
                alias?: (events.v1.AliasEvent.$Properties|null);
                click?: (events.v1.ClickEvent.$Properties|null);
                pageview?: (events.v1.PageviewEvent.$Properties|null);
                diagnostic?: (events.v1.DiagnosticEvent.$Properties|null);
                kind?: ("feature"|"custom"|"identify"|"index"|"summary"|"debug"|"migrationOp"|"alias"|"click"|"pageview"|"diagnostic");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              envelopeIndex?: number|null;
              creationDateMs?: number|null;
              payloadPosition?: number|null;
              feature?: events.v1.FeatureEvent.$Shape|null;
              custom?: events.v1.CustomEvent.$Shape|null;
              identify?: events.v1.IdentifyEvent.$Shape|null;
              index?: events.v1.IndexEvent.$Shape|null;
              summary?: events.v1.SummaryEvent.$Shape|null;
              debug?: events.v1.FeatureEvent.$Shape|null;
              migrationOp?: events.v1.MigrationOpEvent.$Shape|null;
              alias?: events.v1.AliasEvent.$Shape|null;
              click?: events.v1.ClickEvent.$Shape|null;
              pageview?: events.v1.PageviewEvent.$Shape|null;
              diagnostic?: events.v1.DiagnosticEvent.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ kind?: undefined; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "feature"; feature: events.v1.FeatureEvent.$Shape; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "custom"; feature?: null; custom: events.v1.CustomEvent.$Shape; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "identify"; feature?: null; custom?: null; identify: events.v1.IdentifyEvent.$Shape; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "index"; feature?: null; custom?: null; identify?: null; index: events.v1.IndexEvent.$Shape; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "summary"; feature?: null; custom?: null; identify?: null; index?: null; summary: events.v1.SummaryEvent.$Shape; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "debug"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug: events.v1.FeatureEvent.$Shape; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "migrationOp"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp: events.v1.MigrationOpEvent.$Shape; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "alias"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias: events.v1.AliasEvent.$Shape; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "click"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click: events.v1.ClickEvent.$Shape; pageview?: null; diagnostic?: null }|{ kind?: "pageview"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview: events.v1.PageviewEvent.$Shape; diagnostic?: null }|{ kind?: "diagnostic"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic: events.v1.DiagnosticEvent.$Shape })
            );
        }

        interface IContext extends events.v1.Context.$Properties {
        }

        class Context {
            constructor(properties?: events.v1.Context.$Properties);
            $unknowns?: Uint8Array[];
            contexts: events.v1.SingleContext.$Properties[];
            static create(properties: events.v1.Context.$Shape): events.v1.Context & events.v1.Context.$Shape;
            static create(properties?: events.v1.Context.$Properties): events.v1.Context;
            static encode(message: events.v1.Context.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.Context & events.v1.Context.$Shape;
        }

        namespace Context {
            interface $Properties {
                contexts?: (events.v1.SingleContext.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.Context.$Properties;
        }

        interface ISingleContext extends events.v1.SingleContext.$Properties {
        }

        class SingleContext {
            constructor(properties?: events.v1.SingleContext.$Properties);
            $unknowns?: Uint8Array[];
            kind: string;
            key: string;
            name?: (string|null);
            anonymous: boolean;
            attributesJson: string;
            redactedAttributes: string[];
            static create(properties: events.v1.SingleContext.$Shape): events.v1.SingleContext & events.v1.SingleContext.$Shape;
            static create(properties?: events.v1.SingleContext.$Properties): events.v1.SingleContext;
            static encode(message: events.v1.SingleContext.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.SingleContext & events.v1.SingleContext.$Shape;
        }

        namespace SingleContext {
            interface $Properties {
                kind?: (string|null);
                key?: (string|null);
                name?: (string|null);
                anonymous?: (boolean|null);
                attributesJson?: (string|null);
                redactedAttributes?: (string[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.SingleContext.$Properties;
        }

        interface IContextKeys extends events.v1.ContextKeys.$Properties {
        }

        class ContextKeys {
            constructor(properties?: events.v1.ContextKeys.$Properties);
            $unknowns?: Uint8Array[];
            keysByKind: { [k: string]: string };
            static create(properties: events.v1.ContextKeys.$Shape): events.v1.ContextKeys & events.v1.ContextKeys.$Shape;
            static create(properties?: events.v1.ContextKeys.$Properties): events.v1.ContextKeys;
            static encode(message: events.v1.ContextKeys.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.ContextKeys & events.v1.ContextKeys.$Shape;
        }

        namespace ContextKeys {
            interface $Properties {
                keysByKind?: ({ [k: string]: string }|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.ContextKeys.$Properties;
        }

        interface IFeatureEvent extends events.v1.FeatureEvent.$Properties {
        }

        class FeatureEvent {
            constructor(properties?: events.v1.FeatureEvent.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            version?: (number|null);
            variation?: (number|null);
            valueJson: string;
            defaultJson: string;
            reasonJson: string;
            context?: (events.v1.Context.$Properties|null);
            contextKeys?: (events.v1.ContextKeys.$Properties|null);
            prereqOf: string;
            trackEvents: boolean;
            excludeFromSummaries: boolean;
            samplingRatio: number;
            subject?: ("context"|"contextKeys");
            static create(properties: events.v1.FeatureEvent.$Shape): events.v1.FeatureEvent & events.v1.FeatureEvent.$Shape;
            static create(properties?: events.v1.FeatureEvent.$Properties): events.v1.FeatureEvent;
            static encode(message: events.v1.FeatureEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.FeatureEvent & events.v1.FeatureEvent.$Shape;
        }

        namespace FeatureEvent {
            interface $Properties {
                key?: (string|null);
                version?: (number|null);
                variation?: (number|null);
                valueJson?: (string|null);
                defaultJson?: (string|null);
                reasonJson?: (string|null);
                context?: (events.v1.Context.$Properties|null);
                contextKeys?: (events.v1.ContextKeys.$Properties|null);
                prereqOf?: (string|null);
                trackEvents?: (boolean|null);
                excludeFromSummaries?: (boolean|null);
                samplingRatio?: (number|null);
                subject?: ("context"|"contextKeys");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              key?: string|null;
              version?: number|null;
              variation?: number|null;
              valueJson?: string|null;
              defaultJson?: string|null;
              reasonJson?: string|null;
              context?: events.v1.Context.$Shape|null;
              contextKeys?: events.v1.ContextKeys.$Shape|null;
              prereqOf?: string|null;
              trackEvents?: boolean|null;
              excludeFromSummaries?: boolean|null;
              samplingRatio?: number|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
            );
        }

        interface ICustomEvent extends events.v1.CustomEvent.$Properties {
        }

        class CustomEvent {
            constructor(properties?: events.v1.CustomEvent.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            dataJson: string;
            metricValue?: (number|null);
            context?: (events.v1.Context.$Properties|null);
            contextKeys?: (events.v1.ContextKeys.$Properties|null);
            url: string;
            samplingRatio: number;
            subject?: ("context"|"contextKeys");
            static create(properties: events.v1.CustomEvent.$Shape): events.v1.CustomEvent & events.v1.CustomEvent.$Shape;
            static create(properties?: events.v1.CustomEvent.$Properties): events.v1.CustomEvent;
            static encode(message: events.v1.CustomEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.CustomEvent & events.v1.CustomEvent.$Shape;
        }

        namespace CustomEvent {
            interface $Properties {
                key?: (string|null);
                dataJson?: (string|null);
                metricValue?: (number|null);
                context?: (events.v1.Context.$Properties|null);
                contextKeys?: (events.v1.ContextKeys.$Properties|null);
                url?: (string|null);
                samplingRatio?: (number|null);
                subject?: ("context"|"contextKeys");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              key?: string|null;
              dataJson?: string|null;
              metricValue?: number|null;
              context?: events.v1.Context.$Shape|null;
              contextKeys?: events.v1.ContextKeys.$Shape|null;
              url?: string|null;
              samplingRatio?: number|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
            );
        }

        interface IIdentifyEvent extends events.v1.IdentifyEvent.$Properties {
        }

        class IdentifyEvent {
            constructor(properties?: events.v1.IdentifyEvent.$Properties);
            $unknowns?: Uint8Array[];
            context?: (events.v1.Context.$Properties|null);
            samplingRatio: number;
            static create(properties: events.v1.IdentifyEvent.$Shape): events.v1.IdentifyEvent & events.v1.IdentifyEvent.$Shape;
            static create(properties?: events.v1.IdentifyEvent.$Properties): events.v1.IdentifyEvent;
            static encode(message: events.v1.IdentifyEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.IdentifyEvent & events.v1.IdentifyEvent.$Shape;
        }

        namespace IdentifyEvent {
            interface $Properties {
                context?: (events.v1.Context.$Properties|null);
                samplingRatio?: (number|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.IdentifyEvent.$Properties;
        }

        interface IIndexEvent extends events.v1.IndexEvent.$Properties {
        }

        class IndexEvent {
            constructor(properties?: events.v1.IndexEvent.$Properties);
            $unknowns?: Uint8Array[];
            context?: (events.v1.Context.$Properties|null);
            static create(properties: events.v1.IndexEvent.$Shape): events.v1.IndexEvent & events.v1.IndexEvent.$Shape;
            static create(properties?: events.v1.IndexEvent.$Properties): events.v1.IndexEvent;
            static encode(message: events.v1.IndexEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.IndexEvent & events.v1.IndexEvent.$Shape;
        }

        namespace IndexEvent {
            interface $Properties {
                context?: (events.v1.Context.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.IndexEvent.$Properties;
        }

        interface ISummaryEvent extends events.v1.SummaryEvent.$Properties {
        }

        class SummaryEvent {
            constructor(properties?: events.v1.SummaryEvent.$Properties);
            $unknowns?: Uint8Array[];
            startDateMs: number;
            endDateMs: number;
            flags: events.v1.FlagSummary.$Properties[];
            context?: (events.v1.Context.$Properties|null);
            static create(properties: events.v1.SummaryEvent.$Shape): events.v1.SummaryEvent & events.v1.SummaryEvent.$Shape;
            static create(properties?: events.v1.SummaryEvent.$Properties): events.v1.SummaryEvent;
            static encode(message: events.v1.SummaryEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.SummaryEvent & events.v1.SummaryEvent.$Shape;
        }

        namespace SummaryEvent {
            interface $Properties {
                startDateMs?: (number|null);
                endDateMs?: (number|null);
                flags?: (events.v1.FlagSummary.$Properties[]|null);
                context?: (events.v1.Context.$Properties|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.SummaryEvent.$Properties;
        }

        interface IFlagSummary extends events.v1.FlagSummary.$Properties {
        }

        class FlagSummary {
            constructor(properties?: events.v1.FlagSummary.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            defaultJson: string;
            contextKinds: string[];
            counters: events.v1.FlagCounter.$Properties[];
            static create(properties: events.v1.FlagSummary.$Shape): events.v1.FlagSummary & events.v1.FlagSummary.$Shape;
            static create(properties?: events.v1.FlagSummary.$Properties): events.v1.FlagSummary;
            static encode(message: events.v1.FlagSummary.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.FlagSummary & events.v1.FlagSummary.$Shape;
        }

        namespace FlagSummary {
            interface $Properties {
                key?: (string|null);
                defaultJson?: (string|null);
                contextKinds?: (string[]|null);
                counters?: (events.v1.FlagCounter.$Properties[]|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.FlagSummary.$Properties;
        }

        interface IFlagCounter extends events.v1.FlagCounter.$Properties {
        }

        class FlagCounter {
            constructor(properties?: events.v1.FlagCounter.$Properties);
            $unknowns?: Uint8Array[];
            valueJson: string;
            variation?: (number|null);
            version?: (number|null);
            count: number;
            unknown: boolean;
            static create(properties: events.v1.FlagCounter.$Shape): events.v1.FlagCounter & events.v1.FlagCounter.$Shape;
            static create(properties?: events.v1.FlagCounter.$Properties): events.v1.FlagCounter;
            static encode(message: events.v1.FlagCounter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.FlagCounter & events.v1.FlagCounter.$Shape;
        }

        namespace FlagCounter {
            interface $Properties {
                valueJson?: (string|null);
                variation?: (number|null);
                version?: (number|null);
                count?: (number|null);
                unknown?: (boolean|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.FlagCounter.$Properties;
        }

        interface IMigrationOpEvent extends events.v1.MigrationOpEvent.$Properties {
        }

        class MigrationOpEvent {
            constructor(properties?: events.v1.MigrationOpEvent.$Properties);
            $unknowns?: Uint8Array[];
            operation: string;
            context?: (events.v1.Context.$Properties|null);
            contextKeys?: (events.v1.ContextKeys.$Properties|null);
            evaluationJson: string;
            measurementsJson: string;
            samplingRatio: number;
            subject?: ("context"|"contextKeys");
            static create(properties: events.v1.MigrationOpEvent.$Shape): events.v1.MigrationOpEvent & events.v1.MigrationOpEvent.$Shape;
            static create(properties?: events.v1.MigrationOpEvent.$Properties): events.v1.MigrationOpEvent;
            static encode(message: events.v1.MigrationOpEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.MigrationOpEvent & events.v1.MigrationOpEvent.$Shape;
        }

        namespace MigrationOpEvent {
            interface $Properties {
                operation?: (string|null);
                context?: (events.v1.Context.$Properties|null);
                contextKeys?: (events.v1.ContextKeys.$Properties|null);
                evaluationJson?: (string|null);
                measurementsJson?: (string|null);
                samplingRatio?: (number|null);
                subject?: ("context"|"contextKeys");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              operation?: string|null;
              context?: events.v1.Context.$Shape|null;
              contextKeys?: events.v1.ContextKeys.$Shape|null;
              evaluationJson?: string|null;
              measurementsJson?: string|null;
              samplingRatio?: number|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
            );
        }

        interface IAliasEvent extends events.v1.AliasEvent.$Properties {
        }

        class AliasEvent {
            constructor(properties?: events.v1.AliasEvent.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            contextKind: string;
            previousKey: string;
            previousContextKind: string;
            static create(properties: events.v1.AliasEvent.$Shape): events.v1.AliasEvent & events.v1.AliasEvent.$Shape;
            static create(properties?: events.v1.AliasEvent.$Properties): events.v1.AliasEvent;
            static encode(message: events.v1.AliasEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.AliasEvent & events.v1.AliasEvent.$Shape;
        }

        namespace AliasEvent {
            interface $Properties {
                key?: (string|null);
                contextKind?: (string|null);
                previousKey?: (string|null);
                previousContextKind?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.AliasEvent.$Properties;
        }

        interface IClickEvent extends events.v1.ClickEvent.$Properties {
        }

        class ClickEvent {
            constructor(properties?: events.v1.ClickEvent.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            url: string;
            selector: string;
            context?: (events.v1.Context.$Properties|null);
            contextKeys?: (events.v1.ContextKeys.$Properties|null);
            samplingRatio: number;
            subject?: ("context"|"contextKeys");
            static create(properties: events.v1.ClickEvent.$Shape): events.v1.ClickEvent & events.v1.ClickEvent.$Shape;
            static create(properties?: events.v1.ClickEvent.$Properties): events.v1.ClickEvent;
            static encode(message: events.v1.ClickEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.ClickEvent & events.v1.ClickEvent.$Shape;
        }

        namespace ClickEvent {
            interface $Properties {
                key?: (string|null);
                url?: (string|null);
                selector?: (string|null);
                context?: (events.v1.Context.$Properties|null);
                contextKeys?: (events.v1.ContextKeys.$Properties|null);
                samplingRatio?: (number|null);
                subject?: ("context"|"contextKeys");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              key?: string|null;
              url?: string|null;
              selector?: string|null;
              context?: events.v1.Context.$Shape|null;
              contextKeys?: events.v1.ContextKeys.$Shape|null;
              samplingRatio?: number|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
            );
        }

        interface IPageviewEvent extends events.v1.PageviewEvent.$Properties {
        }

        class PageviewEvent {
            constructor(properties?: events.v1.PageviewEvent.$Properties);
            $unknowns?: Uint8Array[];
            key: string;
            url: string;
            context?: (events.v1.Context.$Properties|null);
            contextKeys?: (events.v1.ContextKeys.$Properties|null);
            samplingRatio: number;
            subject?: ("context"|"contextKeys");
            static create(properties: events.v1.PageviewEvent.$Shape): events.v1.PageviewEvent & events.v1.PageviewEvent.$Shape;
            static create(properties?: events.v1.PageviewEvent.$Properties): events.v1.PageviewEvent;
            static encode(message: events.v1.PageviewEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.PageviewEvent & events.v1.PageviewEvent.$Shape;
        }

        namespace PageviewEvent {
            interface $Properties {
                key?: (string|null);
                url?: (string|null);
                context?: (events.v1.Context.$Properties|null);
                contextKeys?: (events.v1.ContextKeys.$Properties|null);
                samplingRatio?: (number|null);
                subject?: ("context"|"contextKeys");
                $unknowns?: Uint8Array[];
            }
            type $Shape = {
              key?: string|null;
              url?: string|null;
              context?: events.v1.Context.$Shape|null;
              contextKeys?: events.v1.ContextKeys.$Shape|null;
              samplingRatio?: number|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
            );
        }

        interface IDiagnosticEvent extends events.v1.DiagnosticEvent.$Properties {
        }

        class DiagnosticEvent {
            constructor(properties?: events.v1.DiagnosticEvent.$Properties);
            $unknowns?: Uint8Array[];
            bodyJson: string;
            static create(properties: events.v1.DiagnosticEvent.$Shape): events.v1.DiagnosticEvent & events.v1.DiagnosticEvent.$Shape;
            static create(properties?: events.v1.DiagnosticEvent.$Properties): events.v1.DiagnosticEvent;
            static encode(message: events.v1.DiagnosticEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): events.v1.DiagnosticEvent & events.v1.DiagnosticEvent.$Shape;
        }

        namespace DiagnosticEvent {
            interface $Properties {
                bodyJson?: (string|null);
                $unknowns?: Uint8Array[];
            }
            type $Shape = events.v1.DiagnosticEvent.$Properties;
        }
    }
}
