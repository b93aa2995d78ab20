/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
"use strict";

var $protobuf = require("protobufjs/minimal");

// Common aliases
var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
var $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError;

// Exported root namespace
var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

$root.events = (function() {

    /**
     * Namespace events.
     * @exports events
     * @namespace
     */
    var events = {};

    events.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof events
         * @namespace
         */
        var v1 = {};

        v1.EventBatch = (function() {

            /**
             * Properties of an EventBatch.
             * @typedef {Object} events.v1.EventBatch.$Properties
             * @property {number|null} [formatVersion] EventBatch formatVersion
             * @property {Array.<events.v1.Envelope.$Properties>|null} [envelopes] EventBatch envelopes
             * @property {Array.<events.v1.Event.$Properties>|null} [events] EventBatch events
             * @property {Uint8Array|null} [recordId] EventBatch recordId
             * @property {events.v1.Compression|null} [compression] EventBatch compression
             * @property {Uint8Array|null} [compressedBatch] EventBatch compressedBatch
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an EventBatch.
             * @memberof events.v1
             * @interface IEventBatch
             * @augments events.v1.EventBatch.$Properties
             * @deprecated Use events.v1.EventBatch.$Properties instead.
             */

            /**
             * Shape of an EventBatch.
             * @typedef {{
             *   formatVersion?: number|null;
             *   envelopes?: Array.<events.v1.Envelope.$Shape>|null;
             *   events?: Array.<events.v1.Event.$Shape>|null;
             *   recordId?: Uint8Array|null;
             *   compression?: events.v1.Compression|null;
             *   compressedBatch?: Uint8Array|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} events.v1.EventBatch.$Shape
             */

            /**
             * Constructs a new EventBatch.
             * @memberof events.v1
             * @classdesc Represents an EventBatch.
             * @constructor
             * @param {events.v1.EventBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var EventBatch = function (properties) {
                this.envelopes = [];
                this.events = [];
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * EventBatch formatVersion.
             * @member {number} formatVersion
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.formatVersion = 0;

            /**
             * EventBatch envelopes.
             * @member {Array.<events.v1.Envelope.$Properties>} envelopes
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.envelopes = $util.emptyArray;

            /**
             * EventBatch events.
             * @member {Array.<events.v1.Event.$Properties>} events
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.events = $util.emptyArray;

            /**
             * EventBatch recordId.
             * @member {Uint8Array} recordId
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.recordId = $util.newBuffer([]);

            /**
             * EventBatch compression.
             * @member {events.v1.Compression} compression
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.compression = 0;

            /**
             * EventBatch compressedBatch.
             * @member {Uint8Array} compressedBatch
             * @memberof events.v1.EventBatch
             * @instance
             */
            EventBatch.prototype.compressedBatch = $util.newBuffer([]);

            /**
             * Creates a new EventBatch instance using the specified properties.
             * @function create
             * @memberof events.v1.EventBatch
             * @static
             * @param {events.v1.EventBatch.$Properties=} [properties] Properties to set
             * @returns {events.v1.EventBatch} EventBatch instance
             * @type {{
             *   (properties: events.v1.EventBatch.$Shape): events.v1.EventBatch & events.v1.EventBatch.$Shape;
             *   (properties?: events.v1.EventBatch.$Properties): events.v1.EventBatch;
             * }}
             */
            EventBatch.create = function(properties) {
                return new EventBatch(properties);
            };

            /**
             * Encodes the specified EventBatch message. Does not implicitly {@link events.v1.EventBatch.verify|verify} messages.
             * @function encode
             * @memberof events.v1.EventBatch
             * @static
             * @param {events.v1.EventBatch.$Properties} message EventBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            EventBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.formatVersion != null && $Object.hasOwnProperty.call(message, "formatVersion") && message.formatVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.formatVersion);
                if (message.envelopes != null && message.envelopes.length)
                    for (var i = 0; i < message.envelopes.length; ++i)
                        $root.events.v1.Envelope.encode(message.envelopes[i], writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.events != null && message.events.length)
                    for (var i = 0; i < message.events.length; ++i)
                        $root.events.v1.Event.encode(message.events[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.recordId != null && $Object.hasOwnProperty.call(message, "recordId") && message.recordId.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).bytes(message.recordId);
                if (message.compression != null && $Object.hasOwnProperty.call(message, "compression") && message.compression !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.compression);
                if (message.compressedBatch != null && $Object.hasOwnProperty.call(message, "compressedBatch") && message.compressedBatch.length)
                    writer.uint32(/* id 6, wireType 2 =*/50).bytes(message.compressedBatch);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an EventBatch message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.EventBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.EventBatch & events.v1.EventBatch.$Shape} EventBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            EventBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.EventBatch();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.formatVersion = value;
                            else
                                delete message.formatVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (!(message.envelopes && message.envelopes.length))
                                message.envelopes = [];
                            message.envelopes.push($root.events.v1.Envelope.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.events && message.events.length))
                                message.events = [];
                            message.events.push($root.events.v1.Event.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.recordId = value;
                            else
                                delete message.recordId;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.compression = value;
                            else
                                delete message.compression;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.compressedBatch = value;
                            else
                                delete message.compressedBatch;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return EventBatch;
        })();

        /**
         * Compression enum.
         * @name events.v1.Compression
         * @enum {number}
         * @property {number} COMPRESSION_UNSPECIFIED=0 COMPRESSION_UNSPECIFIED value
         * @property {number} COMPRESSION_DEFLATE_RAW=1 COMPRESSION_DEFLATE_RAW value
         * @property {number} COMPRESSION_ZSTD=2 COMPRESSION_ZSTD value
         */
        v1.Compression = (function() {
            var valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "COMPRESSION_UNSPECIFIED"] = 0;
            values[valuesById[1] = "COMPRESSION_DEFLATE_RAW"] = 1;
            values[valuesById[2] = "COMPRESSION_ZSTD"] = 2;
            return values;
        })();

        v1.Envelope = (function() {

            /**
             * Properties of an Envelope.
             * @typedef {Object} events.v1.Envelope.$Properties
             * @property {string|null} [environmentId] Envelope environmentId
             * @property {number|null} [receivedAtMs] Envelope receivedAtMs
             * @property {string|null} [payloadId] Envelope payloadId
             * @property {string|null} [sdkName] Envelope sdkName
             * @property {string|null} [sdkVersion] Envelope sdkVersion
             * @property {events.v1.Endpoint|null} [endpoint] Envelope endpoint
             * @property {string|null} [tags] Envelope tags
             * @property {string|null} [wrapper] Envelope wrapper
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Envelope.
             * @memberof events.v1
             * @interface IEnvelope
             * @augments events.v1.Envelope.$Properties
             * @deprecated Use events.v1.Envelope.$Properties instead.
             */

            /**
             * Shape of an Envelope.
             * @typedef {events.v1.Envelope.$Properties} events.v1.Envelope.$Shape
             */

            /**
             * Constructs a new Envelope.
             * @memberof events.v1
             * @classdesc Represents an Envelope.
             * @constructor
             * @param {events.v1.Envelope.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var Envelope = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Envelope environmentId.
             * @member {string} environmentId
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.environmentId = "";

            /**
             * Envelope receivedAtMs.
             * @member {number} receivedAtMs
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.receivedAtMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Envelope payloadId.
             * @member {string} payloadId
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.payloadId = "";

            /**
             * Envelope sdkName.
             * @member {string} sdkName
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.sdkName = "";

            /**
             * Envelope sdkVersion.
             * @member {string} sdkVersion
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.sdkVersion = "";

            /**
             * Envelope endpoint.
             * @member {events.v1.Endpoint} endpoint
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.endpoint = 0;

            /**
             * Envelope tags.
             * @member {string} tags
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.tags = "";

            /**
             * Envelope wrapper.
             * @member {string} wrapper
             * @memberof events.v1.Envelope
             * @instance
             */
            Envelope.prototype.wrapper = "";

            /**
             * Creates a new Envelope instance using the specified properties.
             * @function create
             * @memberof events.v1.Envelope
             * @static
             * @param {events.v1.Envelope.$Properties=} [properties] Properties to set
             * @returns {events.v1.Envelope} Envelope instance
             * @type {{
             *   (properties: events.v1.Envelope.$Shape): events.v1.Envelope & events.v1.Envelope.$Shape;
             *   (properties?: events.v1.Envelope.$Properties): events.v1.Envelope;
             * }}
             */
            Envelope.create = function(properties) {
                return new Envelope(properties);
            };

            /**
             * Encodes the specified Envelope message. Does not implicitly {@link events.v1.Envelope.verify|verify} messages.
             * @function encode
             * @memberof events.v1.Envelope
             * @static
             * @param {events.v1.Envelope.$Properties} message Envelope message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Envelope.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.environmentId != null && $Object.hasOwnProperty.call(message, "environmentId") && message.environmentId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.environmentId);
                if (message.receivedAtMs != null && $Object.hasOwnProperty.call(message, "receivedAtMs") && (typeof message.receivedAtMs === "object" ? message.receivedAtMs.low || message.receivedAtMs.high : message.receivedAtMs !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.receivedAtMs);
                if (message.payloadId != null && $Object.hasOwnProperty.call(message, "payloadId") && message.payloadId !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.payloadId);
                if (message.sdkName != null && $Object.hasOwnProperty.call(message, "sdkName") && message.sdkName !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.sdkName);
                if (message.sdkVersion != null && $Object.hasOwnProperty.call(message, "sdkVersion") && message.sdkVersion !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.sdkVersion);
                if (message.endpoint != null && $Object.hasOwnProperty.call(message, "endpoint") && message.endpoint !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).int32(message.endpoint);
                if (message.tags != null && $Object.hasOwnProperty.call(message, "tags") && message.tags !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.tags);
                if (message.wrapper != null && $Object.hasOwnProperty.call(message, "wrapper") && message.wrapper !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.wrapper);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Envelope message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.Envelope
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.Envelope & events.v1.Envelope.$Shape} Envelope
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Envelope.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.Envelope();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.environmentId = value;
                            else
                                delete message.environmentId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.receivedAtMs = value;
                            else
                                delete message.receivedAtMs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.payloadId = value;
                            else
                                delete message.payloadId;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sdkName = value;
                            else
                                delete message.sdkName;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sdkVersion = value;
                            else
                                delete message.sdkVersion;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.endpoint = value;
                            else
                                delete message.endpoint;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tags = value;
                            else
                                delete message.tags;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.wrapper = value;
                            else
                                delete message.wrapper;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Envelope;
        })();

        /**
         * Endpoint enum.
         * @name events.v1.Endpoint
         * @enum {number}
         * @property {number} ENDPOINT_UNSPECIFIED=0 ENDPOINT_UNSPECIFIED value
         * @property {number} ENDPOINT_SERVER=1 ENDPOINT_SERVER value
         * @property {number} ENDPOINT_MOBILE=2 ENDPOINT_MOBILE value
         * @property {number} ENDPOINT_CLIENT=3 ENDPOINT_CLIENT value
         */
        v1.Endpoint = (function() {
            var valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "ENDPOINT_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ENDPOINT_SERVER"] = 1;
            values[valuesById[2] = "ENDPOINT_MOBILE"] = 2;
            values[valuesById[3] = "ENDPOINT_CLIENT"] = 3;
            return values;
        })();

        v1.Event = (function() {

            /**
             * Properties of an Event.
             * @typedef {Object} events.v1.Event.$Properties
             * @property {number|null} [envelopeIndex] Event envelopeIndex
             * @property {number|null} [creationDateMs] Event creationDateMs
             * @property {number|null} [payloadPosition] Event payloadPosition
             * @property {events.v1.FeatureEvent.$Properties|null} [feature] Event feature
             * @property {events.v1.CustomEvent.$Properties|null} [custom] Event custom
             * @property {events.v1.IdentifyEvent.$Properties|null} [identify] Event identify
             * @property {events.v1.IndexEvent.$Properties|null} [index] Event index
             * @property {events.v1.SummaryEvent.$Properties|null} [summary] Event summary
             * @property {events.v1.FeatureEvent.$Properties|null} [debug] Event debug
             * @property {events.v1.MigrationOpEvent.$Properties|null} [migrationOp] Event migrationOp
             * @property {events.v1.AliasEvent.$Properties|null} [alias] Event alias
             * @property {events.v1.ClickEvent.$Properties|null} [click] Event click
             * @property {events.v1.PageviewEvent.$Properties|null} [pageview] Event pageview
             * @property {events.v1.DiagnosticEvent.$Properties|null} [diagnostic] Event diagnostic
             * @property {"feature"|"custom"|"identify"|"index"|"summary"|"debug"|"migrationOp"|"alias"|"click"|"pageview"|"diagnostic"} [kind] Event kind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Event.
             * @memberof events.v1
             * @interface IEvent
             * @augments events.v1.Event.$Properties
             * @deprecated Use events.v1.Event.$Properties instead.
             */

            /**
             * Narrowed shape of an Event.
             * @typedef {{
             *   envelopeIndex?: number|null;
             *   creationDateMs?: number|null;
             *   payloadPosition?: number|null;
             *   feature?: events.v1.FeatureEvent.$Shape|null;
             *   custom?: events.v1.CustomEvent.$Shape|null;
             *   identify?: events.v1.IdentifyEvent.$Shape|null;
             *   index?: events.v1.IndexEvent.$Shape|null;
             *   summary?: events.v1.SummaryEvent.$Shape|null;
             *   debug?: events.v1.FeatureEvent.$Shape|null;
             *   migrationOp?: events.v1.MigrationOpEvent.$Shape|null;
             *   alias?: events.v1.AliasEvent.$Shape|null;
             *   click?: events.v1.ClickEvent.$Shape|null;
             *   pageview?: events.v1.PageviewEvent.$Shape|null;
             *   diagnostic?: events.v1.DiagnosticEvent.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ kind?: undefined; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "feature"; feature: events.v1.FeatureEvent.$Shape; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "custom"; feature?: null; custom: events.v1.CustomEvent.$Shape; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "identify"; feature?: null; custom?: null; identify: events.v1.IdentifyEvent.$Shape; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "index"; feature?: null; custom?: null; identify?: null; index: events.v1.IndexEvent.$Shape; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "summary"; feature?: null; custom?: null; identify?: null; index?: null; summary: events.v1.SummaryEvent.$Shape; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "debug"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug: events.v1.FeatureEvent.$Shape; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "migrationOp"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp: events.v1.MigrationOpEvent.$Shape; alias?: null; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "alias"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias: events.v1.AliasEvent.$Shape; click?: null; pageview?: null; diagnostic?: null }|{ kind?: "click"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click: events.v1.ClickEvent.$Shape; pageview?: null; diagnostic?: null }|{ kind?: "pageview"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview: events.v1.PageviewEvent.$Shape; diagnostic?: null }|{ kind?: "diagnostic"; feature?: null; custom?: null; identify?: null; index?: null; summary?: null; debug?: null; migrationOp?: null; alias?: null; click?: null; pageview?: null; diagnostic: events.v1.DiagnosticEvent.$Shape })
             * )} events.v1.Event.$Shape
             */

            /**
             * Constructs a new Event.
             * @memberof events.v1
             * @classdesc Represents an Event.
             * @constructor
             * @param {events.v1.Event.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var Event = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Event envelopeIndex.
             * @member {number} envelopeIndex
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.envelopeIndex = 0;

            /**
             * Event creationDateMs.
             * @member {number} creationDateMs
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.creationDateMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Event payloadPosition.
             * @member {number} payloadPosition
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.payloadPosition = 0;

            /**
             * Event feature.
             * @member {events.v1.FeatureEvent.$Properties|null|undefined} feature
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.feature = null;

            /**
             * Event custom.
             * @member {events.v1.CustomEvent.$Properties|null|undefined} custom
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.custom = null;

            /**
             * Event identify.
             * @member {events.v1.IdentifyEvent.$Properties|null|undefined} identify
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.identify = null;

            /**
             * Event index.
             * @member {events.v1.IndexEvent.$Properties|null|undefined} index
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.index = null;

            /**
             * Event summary.
             * @member {events.v1.SummaryEvent.$Properties|null|undefined} summary
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.summary = null;

            /**
             * Event debug.
             * @member {events.v1.FeatureEvent.$Properties|null|undefined} debug
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.debug = null;

            /**
             * Event migrationOp.
             * @member {events.v1.MigrationOpEvent.$Properties|null|undefined} migrationOp
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.migrationOp = null;

            /**
             * Event alias.
             * @member {events.v1.AliasEvent.$Properties|null|undefined} alias
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.alias = null;

            /**
             * Event click.
             * @member {events.v1.ClickEvent.$Properties|null|undefined} click
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.click = null;

            /**
             * Event pageview.
             * @member {events.v1.PageviewEvent.$Properties|null|undefined} pageview
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.pageview = null;

            /**
             * Event diagnostic.
             * @member {events.v1.DiagnosticEvent.$Properties|null|undefined} diagnostic
             * @memberof events.v1.Event
             * @instance
             */
            Event.prototype.diagnostic = null;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * Event kind.
             * @member {"feature"|"custom"|"identify"|"index"|"summary"|"debug"|"migrationOp"|"alias"|"click"|"pageview"|"diagnostic"|undefined} kind
             * @memberof events.v1.Event
             * @instance
             */
            $Object.defineProperty(Event.prototype, "kind", {
                get: $util.oneOfGetter($oneOfFields = ["feature", "custom", "identify", "index", "summary", "debug", "migrationOp", "alias", "click", "pageview", "diagnostic"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new Event instance using the specified properties.
             * @function create
             * @memberof events.v1.Event
             * @static
             * @param {events.v1.Event.$Properties=} [properties] Properties to set
             * @returns {events.v1.Event} Event instance
             * @type {{
             *   (properties: events.v1.Event.$Shape): events.v1.Event & events.v1.Event.$Shape;
             *   (properties?: events.v1.Event.$Properties): events.v1.Event;
             * }}
             */
            Event.create = function(properties) {
                return new Event(properties);
            };

            /**
             * Encodes the specified Event message. Does not implicitly {@link events.v1.Event.verify|verify} messages.
             * @function encode
             * @memberof events.v1.Event
             * @static
             * @param {events.v1.Event.$Properties} message Event message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Event.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.envelopeIndex != null && $Object.hasOwnProperty.call(message, "envelopeIndex") && message.envelopeIndex !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.envelopeIndex);
                if (message.creationDateMs != null && $Object.hasOwnProperty.call(message, "creationDateMs") && (typeof message.creationDateMs === "object" ? message.creationDateMs.low || message.creationDateMs.high : message.creationDateMs !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.creationDateMs);
                if (message.payloadPosition != null && $Object.hasOwnProperty.call(message, "payloadPosition") && message.payloadPosition !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.payloadPosition);
                if (message.feature != null && $Object.hasOwnProperty.call(message, "feature"))
                    $root.events.v1.FeatureEvent.encode(message.feature, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.custom != null && $Object.hasOwnProperty.call(message, "custom"))
                    $root.events.v1.CustomEvent.encode(message.custom, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.identify != null && $Object.hasOwnProperty.call(message, "identify"))
                    $root.events.v1.IdentifyEvent.encode(message.identify, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                if (message.index != null && $Object.hasOwnProperty.call(message, "index"))
                    $root.events.v1.IndexEvent.encode(message.index, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                if (message.summary != null && $Object.hasOwnProperty.call(message, "summary"))
                    $root.events.v1.SummaryEvent.encode(message.summary, writer.uint32(/* id 14, wireType 2 =*/114).fork(), _depth + 1).ldelim();
                if (message.debug != null && $Object.hasOwnProperty.call(message, "debug"))
                    $root.events.v1.FeatureEvent.encode(message.debug, writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
                if (message.migrationOp != null && $Object.hasOwnProperty.call(message, "migrationOp"))
                    $root.events.v1.MigrationOpEvent.encode(message.migrationOp, writer.uint32(/* id 16, wireType 2 =*/130).fork(), _depth + 1).ldelim();
                if (message.alias != null && $Object.hasOwnProperty.call(message, "alias"))
                    $root.events.v1.AliasEvent.encode(message.alias, writer.uint32(/* id 17, wireType 2 =*/138).fork(), _depth + 1).ldelim();
                if (message.click != null && $Object.hasOwnProperty.call(message, "click"))
                    $root.events.v1.ClickEvent.encode(message.click, writer.uint32(/* id 18, wireType 2 =*/146).fork(), _depth + 1).ldelim();
                if (message.pageview != null && $Object.hasOwnProperty.call(message, "pageview"))
                    $root.events.v1.PageviewEvent.encode(message.pageview, writer.uint32(/* id 19, wireType 2 =*/154).fork(), _depth + 1).ldelim();
                if (message.diagnostic != null && $Object.hasOwnProperty.call(message, "diagnostic"))
                    $root.events.v1.DiagnosticEvent.encode(message.diagnostic, writer.uint32(/* id 20, wireType 2 =*/162).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Event message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.Event
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.Event & events.v1.Event.$Shape} Event
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Event.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.Event();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.envelopeIndex = value;
                            else
                                delete message.envelopeIndex;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.creationDateMs = value;
                            else
                                delete message.creationDateMs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.payloadPosition = value;
                            else
                                delete message.payloadPosition;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.feature = $root.events.v1.FeatureEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.feature);
                            message.kind = "feature";
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.custom = $root.events.v1.CustomEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.custom);
                            message.kind = "custom";
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            message.identify = $root.events.v1.IdentifyEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.identify);
                            message.kind = "identify";
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            message.index = $root.events.v1.IndexEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.index);
                            message.kind = "index";
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            message.summary = $root.events.v1.SummaryEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.summary);
                            message.kind = "summary";
                            continue;
                        }
                    case 15: {
                            if (wireType !== 2)
                                break;
                            message.debug = $root.events.v1.FeatureEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.debug);
                            message.kind = "debug";
                            continue;
                        }
                    case 16: {
                            if (wireType !== 2)
                                break;
                            message.migrationOp = $root.events.v1.MigrationOpEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.migrationOp);
                            message.kind = "migrationOp";
                            continue;
                        }
                    case 17: {
                            if (wireType !== 2)
                                break;
                            message.alias = $root.events.v1.AliasEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.alias);
                            message.kind = "alias";
                            continue;
                        }
                    case 18: {
                            if (wireType !== 2)
                                break;
                            message.click = $root.events.v1.ClickEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.click);
                            message.kind = "click";
                            continue;
                        }
                    case 19: {
                            if (wireType !== 2)
                                break;
                            message.pageview = $root.events.v1.PageviewEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.pageview);
                            message.kind = "pageview";
                            continue;
                        }
                    case 20: {
                            if (wireType !== 2)
                                break;
                            message.diagnostic = $root.events.v1.DiagnosticEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.diagnostic);
                            message.kind = "diagnostic";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Event;
        })();

        v1.Context = (function() {

            /**
             * Properties of a Context.
             * @typedef {Object} events.v1.Context.$Properties
             * @property {Array.<events.v1.SingleContext.$Properties>|null} [contexts] Context contexts
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Context.
             * @memberof events.v1
             * @interface IContext
             * @augments events.v1.Context.$Properties
             * @deprecated Use events.v1.Context.$Properties instead.
             */

            /**
             * Shape of a Context.
             * @typedef {events.v1.Context.$Properties} events.v1.Context.$Shape
             */

            /**
             * Constructs a new Context.
             * @memberof events.v1
             * @classdesc Represents a Context.
             * @constructor
             * @param {events.v1.Context.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var Context = function (properties) {
                this.contexts = [];
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Context contexts.
             * @member {Array.<events.v1.SingleContext.$Properties>} contexts
             * @memberof events.v1.Context
             * @instance
             */
            Context.prototype.contexts = $util.emptyArray;

            /**
             * Creates a new Context instance using the specified properties.
             * @function create
             * @memberof events.v1.Context
             * @static
             * @param {events.v1.Context.$Properties=} [properties] Properties to set
             * @returns {events.v1.Context} Context instance
             * @type {{
             *   (properties: events.v1.Context.$Shape): events.v1.Context & events.v1.Context.$Shape;
             *   (properties?: events.v1.Context.$Properties): events.v1.Context;
             * }}
             */
            Context.create = function(properties) {
                return new Context(properties);
            };

            /**
             * Encodes the specified Context message. Does not implicitly {@link events.v1.Context.verify|verify} messages.
             * @function encode
             * @memberof events.v1.Context
             * @static
             * @param {events.v1.Context.$Properties} message Context message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Context.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.contexts != null && message.contexts.length)
                    for (var i = 0; i < message.contexts.length; ++i)
                        $root.events.v1.SingleContext.encode(message.contexts[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Context message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.Context
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.Context & events.v1.Context.$Shape} Context
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Context.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.Context();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.contexts && message.contexts.length))
                                message.contexts = [];
                            message.contexts.push($root.events.v1.SingleContext.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return Context;
        })();

        v1.SingleContext = (function() {

            /**
             * Properties of a SingleContext.
             * @typedef {Object} events.v1.SingleContext.$Properties
             * @property {string|null} [kind] SingleContext kind
             * @property {string|null} [key] SingleContext key
             * @property {string|null} [name] SingleContext name
             * @property {boolean|null} [anonymous] SingleContext anonymous
             * @property {string|null} [attributesJson] SingleContext attributesJson
             * @property {Array.<string>|null} [redactedAttributes] SingleContext redactedAttributes
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SingleContext.
             * @memberof events.v1
             * @interface ISingleContext
             * @augments events.v1.SingleContext.$Properties
             * @deprecated Use events.v1.SingleContext.$Properties instead.
             */

            /**
             * Shape of a SingleContext.
             * @typedef {events.v1.SingleContext.$Properties} events.v1.SingleContext.$Shape
             */

            /**
             * Constructs a new SingleContext.
             * @memberof events.v1
             * @classdesc Represents a SingleContext.
             * @constructor
             * @param {events.v1.SingleContext.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var SingleContext = function (properties) {
                this.redactedAttributes = [];
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SingleContext kind.
             * @member {string} kind
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.kind = "";

            /**
             * SingleContext key.
             * @member {string} key
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.key = "";

            /**
             * SingleContext name.
             * @member {string|null|undefined} name
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.name = null;

            /**
             * SingleContext anonymous.
             * @member {boolean} anonymous
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.anonymous = false;

            /**
             * SingleContext attributesJson.
             * @member {string} attributesJson
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.attributesJson = "";

            /**
             * SingleContext redactedAttributes.
             * @member {Array.<string>} redactedAttributes
             * @memberof events.v1.SingleContext
             * @instance
             */
            SingleContext.prototype.redactedAttributes = $util.emptyArray;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(SingleContext.prototype, "_name", {
                get: $util.oneOfGetter($oneOfFields = ["name"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new SingleContext instance using the specified properties.
             * @function create
             * @memberof events.v1.SingleContext
             * @static
             * @param {events.v1.SingleContext.$Properties=} [properties] Properties to set
             * @returns {events.v1.SingleContext} SingleContext instance
             * @type {{
             *   (properties: events.v1.SingleContext.$Shape): events.v1.SingleContext & events.v1.SingleContext.$Shape;
             *   (properties?: events.v1.SingleContext.$Properties): events.v1.SingleContext;
             * }}
             */
            SingleContext.create = function(properties) {
                return new SingleContext(properties);
            };

            /**
             * Encodes the specified SingleContext message. Does not implicitly {@link events.v1.SingleContext.verify|verify} messages.
             * @function encode
             * @memberof events.v1.SingleContext
             * @static
             * @param {events.v1.SingleContext.$Properties} message SingleContext message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SingleContext.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.kind);
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.key);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.name);
                if (message.anonymous != null && $Object.hasOwnProperty.call(message, "anonymous") && message.anonymous !== false)
                    writer.uint32(/* id 4, wireType 0 =*/32).bool(message.anonymous);
                if (message.attributesJson != null && $Object.hasOwnProperty.call(message, "attributesJson") && message.attributesJson !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.attributesJson);
                if (message.redactedAttributes != null && message.redactedAttributes.length)
                    for (var i = 0; i < message.redactedAttributes.length; ++i)
                        writer.uint32(/* id 6, wireType 2 =*/50).string(message.redactedAttributes[i]);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SingleContext message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.SingleContext
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.SingleContext & events.v1.SingleContext.$Shape} SingleContext
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SingleContext.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.SingleContext();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.name = reader.stringVerify();
                            message._name = "name";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.anonymous = value;
                            else
                                delete message.anonymous;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.attributesJson = value;
                            else
                                delete message.attributesJson;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if (!(message.redactedAttributes && message.redactedAttributes.length))
                                message.redactedAttributes = [];
                            message.redactedAttributes.push(reader.stringVerify());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SingleContext;
        })();

        v1.ContextKeys = (function() {

            /**
             * Properties of a ContextKeys.
             * @typedef {Object} events.v1.ContextKeys.$Properties
             * @property {Object.<string,string>|null} [keysByKind] ContextKeys keysByKind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ContextKeys.
             * @memberof events.v1
             * @interface IContextKeys
             * @augments events.v1.ContextKeys.$Properties
             * @deprecated Use events.v1.ContextKeys.$Properties instead.
             */

            /**
             * Shape of a ContextKeys.
             * @typedef {events.v1.ContextKeys.$Properties} events.v1.ContextKeys.$Shape
             */

            /**
             * Constructs a new ContextKeys.
             * @memberof events.v1
             * @classdesc Represents a ContextKeys.
             * @constructor
             * @param {events.v1.ContextKeys.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var ContextKeys = function (properties) {
                this.keysByKind = {};
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ContextKeys keysByKind.
             * @member {Object.<string,string>} keysByKind
             * @memberof events.v1.ContextKeys
             * @instance
             */
            ContextKeys.prototype.keysByKind = $util.emptyObject;

            /**
             * Creates a new ContextKeys instance using the specified properties.
             * @function create
             * @memberof events.v1.ContextKeys
             * @static
             * @param {events.v1.ContextKeys.$Properties=} [properties] Properties to set
             * @returns {events.v1.ContextKeys} ContextKeys instance
             * @type {{
             *   (properties: events.v1.ContextKeys.$Shape): events.v1.ContextKeys & events.v1.ContextKeys.$Shape;
             *   (properties?: events.v1.ContextKeys.$Properties): events.v1.ContextKeys;
             * }}
             */
            ContextKeys.create = function(properties) {
                return new ContextKeys(properties);
            };

            /**
             * Encodes the specified ContextKeys message. Does not implicitly {@link events.v1.ContextKeys.verify|verify} messages.
             * @function encode
             * @memberof events.v1.ContextKeys
             * @static
             * @param {events.v1.ContextKeys.$Properties} message ContextKeys message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ContextKeys.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.keysByKind != null && $Object.hasOwnProperty.call(message, "keysByKind"))
                    for (var keys = $Object.keys(message.keysByKind), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 1, wireType 2 =*/10).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.keysByKind[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ContextKeys message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.ContextKeys
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.ContextKeys & events.v1.ContextKeys.$Shape} ContextKeys
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ContextKeys.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.ContextKeys();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (message.keysByKind === $util.emptyObject)
                                message.keysByKind = {};
                            var end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                var tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.keysByKind, key);
                            message.keysByKind[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ContextKeys;
        })();

        v1.FeatureEvent = (function() {

            /**
             * Properties of a FeatureEvent.
             * @typedef {Object} events.v1.FeatureEvent.$Properties
             * @property {string|null} [key] FeatureEvent key
             * @property {number|null} [version] FeatureEvent version
             * @property {number|null} [variation] FeatureEvent variation
             * @property {string|null} [valueJson] FeatureEvent valueJson
             * @property {string|null} [defaultJson] FeatureEvent defaultJson
             * @property {string|null} [reasonJson] FeatureEvent reasonJson
             * @property {events.v1.Context.$Properties|null} [context] FeatureEvent context
             * @property {events.v1.ContextKeys.$Properties|null} [contextKeys] FeatureEvent contextKeys
             * @property {string|null} [prereqOf] FeatureEvent prereqOf
             * @property {boolean|null} [trackEvents] FeatureEvent trackEvents
             * @property {boolean|null} [excludeFromSummaries] FeatureEvent excludeFromSummaries
             * @property {number|null} [samplingRatio] FeatureEvent samplingRatio
             * @property {"context"|"contextKeys"} [subject] FeatureEvent subject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FeatureEvent.
             * @memberof events.v1
             * @interface IFeatureEvent
             * @augments events.v1.FeatureEvent.$Properties
             * @deprecated Use events.v1.FeatureEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a FeatureEvent.
             * @typedef {{
             *   key?: string|null;
             *   version?: number|null;
             *   variation?: number|null;
             *   valueJson?: string|null;
             *   defaultJson?: string|null;
             *   reasonJson?: string|null;
             *   context?: events.v1.Context.$Shape|null;
             *   contextKeys?: events.v1.ContextKeys.$Shape|null;
             *   prereqOf?: string|null;
             *   trackEvents?: boolean|null;
             *   excludeFromSummaries?: boolean|null;
             *   samplingRatio?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
             * )} events.v1.FeatureEvent.$Shape
             */

            /**
             * Constructs a new FeatureEvent.
             * @memberof events.v1
             * @classdesc Represents a FeatureEvent.
             * @constructor
             * @param {events.v1.FeatureEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var FeatureEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * FeatureEvent key.
             * @member {string} key
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.key = "";

            /**
             * FeatureEvent version.
             * @member {number|null|undefined} version
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.version = null;

            /**
             * FeatureEvent variation.
             * @member {number|null|undefined} variation
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.variation = null;

            /**
             * FeatureEvent valueJson.
             * @member {string} valueJson
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.valueJson = "";

            /**
             * FeatureEvent defaultJson.
             * @member {string} defaultJson
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.defaultJson = "";

            /**
             * FeatureEvent reasonJson.
             * @member {string} reasonJson
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.reasonJson = "";

            /**
             * FeatureEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.context = null;

            /**
             * FeatureEvent contextKeys.
             * @member {events.v1.ContextKeys.$Properties|null|undefined} contextKeys
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.contextKeys = null;

            /**
             * FeatureEvent prereqOf.
             * @member {string} prereqOf
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.prereqOf = "";

            /**
             * FeatureEvent trackEvents.
             * @member {boolean} trackEvents
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.trackEvents = false;

            /**
             * FeatureEvent excludeFromSummaries.
             * @member {boolean} excludeFromSummaries
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.excludeFromSummaries = false;

            /**
             * FeatureEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            FeatureEvent.prototype.samplingRatio = 0;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(FeatureEvent.prototype, "_version", {
                get: $util.oneOfGetter($oneOfFields = ["version"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(FeatureEvent.prototype, "_variation", {
                get: $util.oneOfGetter($oneOfFields = ["variation"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * FeatureEvent subject.
             * @member {"context"|"contextKeys"|undefined} subject
             * @memberof events.v1.FeatureEvent
             * @instance
             */
            $Object.defineProperty(FeatureEvent.prototype, "subject", {
                get: $util.oneOfGetter($oneOfFields = ["context", "contextKeys"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new FeatureEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.FeatureEvent
             * @static
             * @param {events.v1.FeatureEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.FeatureEvent} FeatureEvent instance
             * @type {{
             *   (properties: events.v1.FeatureEvent.$Shape): events.v1.FeatureEvent & events.v1.FeatureEvent.$Shape;
             *   (properties?: events.v1.FeatureEvent.$Properties): events.v1.FeatureEvent;
             * }}
             */
            FeatureEvent.create = function(properties) {
                return new FeatureEvent(properties);
            };

            /**
             * Encodes the specified FeatureEvent message. Does not implicitly {@link events.v1.FeatureEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.FeatureEvent
             * @static
             * @param {events.v1.FeatureEvent.$Properties} message FeatureEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FeatureEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.version);
                if (message.variation != null && $Object.hasOwnProperty.call(message, "variation"))
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.variation);
                if (message.valueJson != null && $Object.hasOwnProperty.call(message, "valueJson") && message.valueJson !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.valueJson);
                if (message.defaultJson != null && $Object.hasOwnProperty.call(message, "defaultJson") && message.defaultJson !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.defaultJson);
                if (message.reasonJson != null && $Object.hasOwnProperty.call(message, "reasonJson") && message.reasonJson !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.reasonJson);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.contextKeys != null && $Object.hasOwnProperty.call(message, "contextKeys"))
                    $root.events.v1.ContextKeys.encode(message.contextKeys, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.prereqOf != null && $Object.hasOwnProperty.call(message, "prereqOf") && message.prereqOf !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.prereqOf);
                if (message.trackEvents != null && $Object.hasOwnProperty.call(message, "trackEvents") && message.trackEvents !== false)
                    writer.uint32(/* id 10, wireType 0 =*/80).bool(message.trackEvents);
                if (message.excludeFromSummaries != null && $Object.hasOwnProperty.call(message, "excludeFromSummaries") && message.excludeFromSummaries !== false)
                    writer.uint32(/* id 11, wireType 0 =*/88).bool(message.excludeFromSummaries);
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 12, wireType 1 =*/97).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FeatureEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.FeatureEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.FeatureEvent & events.v1.FeatureEvent.$Shape} FeatureEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FeatureEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.FeatureEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            message.version = reader.uint32();
                            message._version = "version";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            message.variation = reader.int32();
                            message._variation = "variation";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.valueJson = value;
                            else
                                delete message.valueJson;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.defaultJson = value;
                            else
                                delete message.defaultJson;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reasonJson = value;
                            else
                                delete message.reasonJson;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            message.subject = "context";
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.contextKeys = $root.events.v1.ContextKeys.decode(reader, reader.size(), $undefined, _depth + 1, message.contextKeys);
                            message.subject = "contextKeys";
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.prereqOf = value;
                            else
                                delete message.prereqOf;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.trackEvents = value;
                            else
                                delete message.trackEvents;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.excludeFromSummaries = value;
                            else
                                delete message.excludeFromSummaries;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return FeatureEvent;
        })();

        v1.CustomEvent = (function() {

            /**
             * Properties of a CustomEvent.
             * @typedef {Object} events.v1.CustomEvent.$Properties
             * @property {string|null} [key] CustomEvent key
             * @property {string|null} [dataJson] CustomEvent dataJson
             * @property {number|null} [metricValue] CustomEvent metricValue
             * @property {events.v1.Context.$Properties|null} [context] CustomEvent context
             * @property {events.v1.ContextKeys.$Properties|null} [contextKeys] CustomEvent contextKeys
             * @property {string|null} [url] CustomEvent url
             * @property {number|null} [samplingRatio] CustomEvent samplingRatio
             * @property {"context"|"contextKeys"} [subject] CustomEvent subject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CustomEvent.
             * @memberof events.v1
             * @interface ICustomEvent
             * @augments events.v1.CustomEvent.$Properties
             * @deprecated Use events.v1.CustomEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a CustomEvent.
             * @typedef {{
             *   key?: string|null;
             *   dataJson?: string|null;
             *   metricValue?: number|null;
             *   context?: events.v1.Context.$Shape|null;
             *   contextKeys?: events.v1.ContextKeys.$Shape|null;
             *   url?: string|null;
             *   samplingRatio?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
             * )} events.v1.CustomEvent.$Shape
             */

            /**
             * Constructs a new CustomEvent.
             * @memberof events.v1
             * @classdesc Represents a CustomEvent.
             * @constructor
             * @param {events.v1.CustomEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var CustomEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CustomEvent key.
             * @member {string} key
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.key = "";

            /**
             * CustomEvent dataJson.
             * @member {string} dataJson
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.dataJson = "";

            /**
             * CustomEvent metricValue.
             * @member {number|null|undefined} metricValue
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.metricValue = null;

            /**
             * CustomEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.context = null;

            /**
             * CustomEvent contextKeys.
             * @member {events.v1.ContextKeys.$Properties|null|undefined} contextKeys
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.contextKeys = null;

            /**
             * CustomEvent url.
             * @member {string} url
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.url = "";

            /**
             * CustomEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.CustomEvent
             * @instance
             */
            CustomEvent.prototype.samplingRatio = 0;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(CustomEvent.prototype, "_metricValue", {
                get: $util.oneOfGetter($oneOfFields = ["metricValue"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * CustomEvent subject.
             * @member {"context"|"contextKeys"|undefined} subject
             * @memberof events.v1.CustomEvent
             * @instance
             */
            $Object.defineProperty(CustomEvent.prototype, "subject", {
                get: $util.oneOfGetter($oneOfFields = ["context", "contextKeys"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new CustomEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.CustomEvent
             * @static
             * @param {events.v1.CustomEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.CustomEvent} CustomEvent instance
             * @type {{
             *   (properties: events.v1.CustomEvent.$Shape): events.v1.CustomEvent & events.v1.CustomEvent.$Shape;
             *   (properties?: events.v1.CustomEvent.$Properties): events.v1.CustomEvent;
             * }}
             */
            CustomEvent.create = function(properties) {
                return new CustomEvent(properties);
            };

            /**
             * Encodes the specified CustomEvent message. Does not implicitly {@link events.v1.CustomEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.CustomEvent
             * @static
             * @param {events.v1.CustomEvent.$Properties} message CustomEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CustomEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.dataJson != null && $Object.hasOwnProperty.call(message, "dataJson") && message.dataJson !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.dataJson);
                if (message.metricValue != null && $Object.hasOwnProperty.call(message, "metricValue"))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.metricValue);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.contextKeys != null && $Object.hasOwnProperty.call(message, "contextKeys"))
                    $root.events.v1.ContextKeys.encode(message.contextKeys, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.url != null && $Object.hasOwnProperty.call(message, "url") && message.url !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.url);
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 7, wireType 1 =*/57).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CustomEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.CustomEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.CustomEvent & events.v1.CustomEvent.$Shape} CustomEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CustomEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.CustomEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.dataJson = value;
                            else
                                delete message.dataJson;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            message.metricValue = reader.double();
                            message._metricValue = "metricValue";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            message.subject = "context";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.contextKeys = $root.events.v1.ContextKeys.decode(reader, reader.size(), $undefined, _depth + 1, message.contextKeys);
                            message.subject = "contextKeys";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.url = value;
                            else
                                delete message.url;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return CustomEvent;
        })();

        v1.IdentifyEvent = (function() {

            /**
             * Properties of an IdentifyEvent.
             * @typedef {Object} events.v1.IdentifyEvent.$Properties
             * @property {events.v1.Context.$Properties|null} [context] IdentifyEvent context
             * @property {number|null} [samplingRatio] IdentifyEvent samplingRatio
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an IdentifyEvent.
             * @memberof events.v1
             * @interface IIdentifyEvent
             * @augments events.v1.IdentifyEvent.$Properties
             * @deprecated Use events.v1.IdentifyEvent.$Properties instead.
             */

            /**
             * Shape of an IdentifyEvent.
             * @typedef {events.v1.IdentifyEvent.$Properties} events.v1.IdentifyEvent.$Shape
             */

            /**
             * Constructs a new IdentifyEvent.
             * @memberof events.v1
             * @classdesc Represents an IdentifyEvent.
             * @constructor
             * @param {events.v1.IdentifyEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var IdentifyEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * IdentifyEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.IdentifyEvent
             * @instance
             */
            IdentifyEvent.prototype.context = null;

            /**
             * IdentifyEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.IdentifyEvent
             * @instance
             */
            IdentifyEvent.prototype.samplingRatio = 0;

            /**
             * Creates a new IdentifyEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.IdentifyEvent
             * @static
             * @param {events.v1.IdentifyEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.IdentifyEvent} IdentifyEvent instance
             * @type {{
             *   (properties: events.v1.IdentifyEvent.$Shape): events.v1.IdentifyEvent & events.v1.IdentifyEvent.$Shape;
             *   (properties?: events.v1.IdentifyEvent.$Properties): events.v1.IdentifyEvent;
             * }}
             */
            IdentifyEvent.create = function(properties) {
                return new IdentifyEvent(properties);
            };

            /**
             * Encodes the specified IdentifyEvent message. Does not implicitly {@link events.v1.IdentifyEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.IdentifyEvent
             * @static
             * @param {events.v1.IdentifyEvent.$Properties} message IdentifyEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            IdentifyEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an IdentifyEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.IdentifyEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.IdentifyEvent & events.v1.IdentifyEvent.$Shape} IdentifyEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            IdentifyEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.IdentifyEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return IdentifyEvent;
        })();

        v1.IndexEvent = (function() {

            /**
             * Properties of an IndexEvent.
             * @typedef {Object} events.v1.IndexEvent.$Properties
             * @property {events.v1.Context.$Properties|null} [context] IndexEvent context
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an IndexEvent.
             * @memberof events.v1
             * @interface IIndexEvent
             * @augments events.v1.IndexEvent.$Properties
             * @deprecated Use events.v1.IndexEvent.$Properties instead.
             */

            /**
             * Shape of an IndexEvent.
             * @typedef {events.v1.IndexEvent.$Properties} events.v1.IndexEvent.$Shape
             */

            /**
             * Constructs a new IndexEvent.
             * @memberof events.v1
             * @classdesc Represents an IndexEvent.
             * @constructor
             * @param {events.v1.IndexEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var IndexEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * IndexEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.IndexEvent
             * @instance
             */
            IndexEvent.prototype.context = null;

            /**
             * Creates a new IndexEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.IndexEvent
             * @static
             * @param {events.v1.IndexEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.IndexEvent} IndexEvent instance
             * @type {{
             *   (properties: events.v1.IndexEvent.$Shape): events.v1.IndexEvent & events.v1.IndexEvent.$Shape;
             *   (properties?: events.v1.IndexEvent.$Properties): events.v1.IndexEvent;
             * }}
             */
            IndexEvent.create = function(properties) {
                return new IndexEvent(properties);
            };

            /**
             * Encodes the specified IndexEvent message. Does not implicitly {@link events.v1.IndexEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.IndexEvent
             * @static
             * @param {events.v1.IndexEvent.$Properties} message IndexEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            IndexEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an IndexEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.IndexEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.IndexEvent & events.v1.IndexEvent.$Shape} IndexEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            IndexEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.IndexEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return IndexEvent;
        })();

        v1.SummaryEvent = (function() {

            /**
             * Properties of a SummaryEvent.
             * @typedef {Object} events.v1.SummaryEvent.$Properties
             * @property {number|null} [startDateMs] SummaryEvent startDateMs
             * @property {number|null} [endDateMs] SummaryEvent endDateMs
             * @property {Array.<events.v1.FlagSummary.$Properties>|null} [flags] SummaryEvent flags
             * @property {events.v1.Context.$Properties|null} [context] SummaryEvent context
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SummaryEvent.
             * @memberof events.v1
             * @interface ISummaryEvent
             * @augments events.v1.SummaryEvent.$Properties
             * @deprecated Use events.v1.SummaryEvent.$Properties instead.
             */

            /**
             * Shape of a SummaryEvent.
             * @typedef {events.v1.SummaryEvent.$Properties} events.v1.SummaryEvent.$Shape
             */

            /**
             * Constructs a new SummaryEvent.
             * @memberof events.v1
             * @classdesc Represents a SummaryEvent.
             * @constructor
             * @param {events.v1.SummaryEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var SummaryEvent = function (properties) {
                this.flags = [];
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SummaryEvent startDateMs.
             * @member {number} startDateMs
             * @memberof events.v1.SummaryEvent
             * @instance
             */
            SummaryEvent.prototype.startDateMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * SummaryEvent endDateMs.
             * @member {number} endDateMs
             * @memberof events.v1.SummaryEvent
             * @instance
             */
            SummaryEvent.prototype.endDateMs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * SummaryEvent flags.
             * @member {Array.<events.v1.FlagSummary.$Properties>} flags
             * @memberof events.v1.SummaryEvent
             * @instance
             */
            SummaryEvent.prototype.flags = $util.emptyArray;

            /**
             * SummaryEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.SummaryEvent
             * @instance
             */
            SummaryEvent.prototype.context = null;

            /**
             * Creates a new SummaryEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.SummaryEvent
             * @static
             * @param {events.v1.SummaryEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.SummaryEvent} SummaryEvent instance
             * @type {{
             *   (properties: events.v1.SummaryEvent.$Shape): events.v1.SummaryEvent & events.v1.SummaryEvent.$Shape;
             *   (properties?: events.v1.SummaryEvent.$Properties): events.v1.SummaryEvent;
             * }}
             */
            SummaryEvent.create = function(properties) {
                return new SummaryEvent(properties);
            };

            /**
             * Encodes the specified SummaryEvent message. Does not implicitly {@link events.v1.SummaryEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.SummaryEvent
             * @static
             * @param {events.v1.SummaryEvent.$Properties} message SummaryEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SummaryEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.startDateMs != null && $Object.hasOwnProperty.call(message, "startDateMs") && (typeof message.startDateMs === "object" ? message.startDateMs.low || message.startDateMs.high : message.startDateMs !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.startDateMs);
                if (message.endDateMs != null && $Object.hasOwnProperty.call(message, "endDateMs") && (typeof message.endDateMs === "object" ? message.endDateMs.low || message.endDateMs.high : message.endDateMs !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.endDateMs);
                if (message.flags != null && message.flags.length)
                    for (var i = 0; i < message.flags.length; ++i)
                        $root.events.v1.FlagSummary.encode(message.flags[i], writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SummaryEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.SummaryEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.SummaryEvent & events.v1.SummaryEvent.$Shape} SummaryEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SummaryEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.SummaryEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.startDateMs = value;
                            else
                                delete message.startDateMs;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.endDateMs = value;
                            else
                                delete message.endDateMs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.flags && message.flags.length))
                                message.flags = [];
                            message.flags.push($root.events.v1.FlagSummary.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return SummaryEvent;
        })();

        v1.FlagSummary = (function() {

            /**
             * Properties of a FlagSummary.
             * @typedef {Object} events.v1.FlagSummary.$Properties
             * @property {string|null} [key] FlagSummary key
             * @property {string|null} [defaultJson] FlagSummary defaultJson
             * @property {Array.<string>|null} [contextKinds] FlagSummary contextKinds
             * @property {Array.<events.v1.FlagCounter.$Properties>|null} [counters] FlagSummary counters
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FlagSummary.
             * @memberof events.v1
             * @interface IFlagSummary
             * @augments events.v1.FlagSummary.$Properties
             * @deprecated Use events.v1.FlagSummary.$Properties instead.
             */

            /**
             * Shape of a FlagSummary.
             * @typedef {events.v1.FlagSummary.$Properties} events.v1.FlagSummary.$Shape
             */

            /**
             * Constructs a new FlagSummary.
             * @memberof events.v1
             * @classdesc Represents a FlagSummary.
             * @constructor
             * @param {events.v1.FlagSummary.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var FlagSummary = function (properties) {
                this.contextKinds = [];
                this.counters = [];
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * FlagSummary key.
             * @member {string} key
             * @memberof events.v1.FlagSummary
             * @instance
             */
            FlagSummary.prototype.key = "";

            /**
             * FlagSummary defaultJson.
             * @member {string} defaultJson
             * @memberof events.v1.FlagSummary
             * @instance
             */
            FlagSummary.prototype.defaultJson = "";

            /**
             * FlagSummary contextKinds.
             * @member {Array.<string>} contextKinds
             * @memberof events.v1.FlagSummary
             * @instance
             */
            FlagSummary.prototype.contextKinds = $util.emptyArray;

            /**
             * FlagSummary counters.
             * @member {Array.<events.v1.FlagCounter.$Properties>} counters
             * @memberof events.v1.FlagSummary
             * @instance
             */
            FlagSummary.prototype.counters = $util.emptyArray;

            /**
             * Creates a new FlagSummary instance using the specified properties.
             * @function create
             * @memberof events.v1.FlagSummary
             * @static
             * @param {events.v1.FlagSummary.$Properties=} [properties] Properties to set
             * @returns {events.v1.FlagSummary} FlagSummary instance
             * @type {{
             *   (properties: events.v1.FlagSummary.$Shape): events.v1.FlagSummary & events.v1.FlagSummary.$Shape;
             *   (properties?: events.v1.FlagSummary.$Properties): events.v1.FlagSummary;
             * }}
             */
            FlagSummary.create = function(properties) {
                return new FlagSummary(properties);
            };

            /**
             * Encodes the specified FlagSummary message. Does not implicitly {@link events.v1.FlagSummary.verify|verify} messages.
             * @function encode
             * @memberof events.v1.FlagSummary
             * @static
             * @param {events.v1.FlagSummary.$Properties} message FlagSummary message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlagSummary.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.defaultJson != null && $Object.hasOwnProperty.call(message, "defaultJson") && message.defaultJson !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.defaultJson);
                if (message.contextKinds != null && message.contextKinds.length)
                    for (var i = 0; i < message.contextKinds.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).string(message.contextKinds[i]);
                if (message.counters != null && message.counters.length)
                    for (var i = 0; i < message.counters.length; ++i)
                        $root.events.v1.FlagCounter.encode(message.counters[i], writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FlagSummary message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.FlagSummary
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.FlagSummary & events.v1.FlagSummary.$Shape} FlagSummary
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlagSummary.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.FlagSummary();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.defaultJson = value;
                            else
                                delete message.defaultJson;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (!(message.contextKinds && message.contextKinds.length))
                                message.contextKinds = [];
                            message.contextKinds.push(reader.stringVerify());
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if (!(message.counters && message.counters.length))
                                message.counters = [];
                            message.counters.push($root.events.v1.FlagCounter.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return FlagSummary;
        })();

        v1.FlagCounter = (function() {

            /**
             * Properties of a FlagCounter.
             * @typedef {Object} events.v1.FlagCounter.$Properties
             * @property {string|null} [valueJson] FlagCounter valueJson
             * @property {number|null} [variation] FlagCounter variation
             * @property {number|null} [version] FlagCounter version
             * @property {number|null} [count] FlagCounter count
             * @property {boolean|null} [unknown] FlagCounter unknown
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FlagCounter.
             * @memberof events.v1
             * @interface IFlagCounter
             * @augments events.v1.FlagCounter.$Properties
             * @deprecated Use events.v1.FlagCounter.$Properties instead.
             */

            /**
             * Shape of a FlagCounter.
             * @typedef {events.v1.FlagCounter.$Properties} events.v1.FlagCounter.$Shape
             */

            /**
             * Constructs a new FlagCounter.
             * @memberof events.v1
             * @classdesc Represents a FlagCounter.
             * @constructor
             * @param {events.v1.FlagCounter.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var FlagCounter = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * FlagCounter valueJson.
             * @member {string} valueJson
             * @memberof events.v1.FlagCounter
             * @instance
             */
            FlagCounter.prototype.valueJson = "";

            /**
             * FlagCounter variation.
             * @member {number|null|undefined} variation
             * @memberof events.v1.FlagCounter
             * @instance
             */
            FlagCounter.prototype.variation = null;

            /**
             * FlagCounter version.
             * @member {number|null|undefined} version
             * @memberof events.v1.FlagCounter
             * @instance
             */
            FlagCounter.prototype.version = null;

            /**
             * FlagCounter count.
             * @member {number} count
             * @memberof events.v1.FlagCounter
             * @instance
             */
            FlagCounter.prototype.count = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * FlagCounter unknown.
             * @member {boolean} unknown
             * @memberof events.v1.FlagCounter
             * @instance
             */
            FlagCounter.prototype.unknown = false;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(FlagCounter.prototype, "_variation", {
                get: $util.oneOfGetter($oneOfFields = ["variation"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            // Virtual OneOf for proto3 optional field
            $Object.defineProperty(FlagCounter.prototype, "_version", {
                get: $util.oneOfGetter($oneOfFields = ["version"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new FlagCounter instance using the specified properties.
             * @function create
             * @memberof events.v1.FlagCounter
             * @static
             * @param {events.v1.FlagCounter.$Properties=} [properties] Properties to set
             * @returns {events.v1.FlagCounter} FlagCounter instance
             * @type {{
             *   (properties: events.v1.FlagCounter.$Shape): events.v1.FlagCounter & events.v1.FlagCounter.$Shape;
             *   (properties?: events.v1.FlagCounter.$Properties): events.v1.FlagCounter;
             * }}
             */
            FlagCounter.create = function(properties) {
                return new FlagCounter(properties);
            };

            /**
             * Encodes the specified FlagCounter message. Does not implicitly {@link events.v1.FlagCounter.verify|verify} messages.
             * @function encode
             * @memberof events.v1.FlagCounter
             * @static
             * @param {events.v1.FlagCounter.$Properties} message FlagCounter message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FlagCounter.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.valueJson != null && $Object.hasOwnProperty.call(message, "valueJson") && message.valueJson !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.valueJson);
                if (message.variation != null && $Object.hasOwnProperty.call(message, "variation"))
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.variation);
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.version);
                if (message.count != null && $Object.hasOwnProperty.call(message, "count") && (typeof message.count === "object" ? message.count.low || message.count.high : message.count !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.count);
                if (message.unknown != null && $Object.hasOwnProperty.call(message, "unknown") && message.unknown !== false)
                    writer.uint32(/* id 5, wireType 0 =*/40).bool(message.unknown);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FlagCounter message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.FlagCounter
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.FlagCounter & events.v1.FlagCounter.$Shape} FlagCounter
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FlagCounter.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.FlagCounter();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.valueJson = value;
                            else
                                delete message.valueJson;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            message.variation = reader.int32();
                            message._variation = "variation";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            message.version = reader.uint32();
                            message._version = "version";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.count = value;
                            else
                                delete message.count;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.unknown = value;
                            else
                                delete message.unknown;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return FlagCounter;
        })();

        v1.MigrationOpEvent = (function() {

            /**
             * Properties of a MigrationOpEvent.
             * @typedef {Object} events.v1.MigrationOpEvent.$Properties
             * @property {string|null} [operation] MigrationOpEvent operation
             * @property {events.v1.Context.$Properties|null} [context] MigrationOpEvent context
             * @property {events.v1.ContextKeys.$Properties|null} [contextKeys] MigrationOpEvent contextKeys
             * @property {string|null} [evaluationJson] MigrationOpEvent evaluationJson
             * @property {string|null} [measurementsJson] MigrationOpEvent measurementsJson
             * @property {number|null} [samplingRatio] MigrationOpEvent samplingRatio
             * @property {"context"|"contextKeys"} [subject] MigrationOpEvent subject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a MigrationOpEvent.
             * @memberof events.v1
             * @interface IMigrationOpEvent
             * @augments events.v1.MigrationOpEvent.$Properties
             * @deprecated Use events.v1.MigrationOpEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a MigrationOpEvent.
             * @typedef {{
             *   operation?: string|null;
             *   context?: events.v1.Context.$Shape|null;
             *   contextKeys?: events.v1.ContextKeys.$Shape|null;
             *   evaluationJson?: string|null;
             *   measurementsJson?: string|null;
             *   samplingRatio?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
             * )} events.v1.MigrationOpEvent.$Shape
             */

            /**
             * Constructs a new MigrationOpEvent.
             * @memberof events.v1
             * @classdesc Represents a MigrationOpEvent.
             * @constructor
             * @param {events.v1.MigrationOpEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var MigrationOpEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * MigrationOpEvent operation.
             * @member {string} operation
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.operation = "";

            /**
             * MigrationOpEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.context = null;

            /**
             * MigrationOpEvent contextKeys.
             * @member {events.v1.ContextKeys.$Properties|null|undefined} contextKeys
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.contextKeys = null;

            /**
             * MigrationOpEvent evaluationJson.
             * @member {string} evaluationJson
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.evaluationJson = "";

            /**
             * MigrationOpEvent measurementsJson.
             * @member {string} measurementsJson
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.measurementsJson = "";

            /**
             * MigrationOpEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            MigrationOpEvent.prototype.samplingRatio = 0;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * MigrationOpEvent subject.
             * @member {"context"|"contextKeys"|undefined} subject
             * @memberof events.v1.MigrationOpEvent
             * @instance
             */
            $Object.defineProperty(MigrationOpEvent.prototype, "subject", {
                get: $util.oneOfGetter($oneOfFields = ["context", "contextKeys"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new MigrationOpEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.MigrationOpEvent
             * @static
             * @param {events.v1.MigrationOpEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.MigrationOpEvent} MigrationOpEvent instance
             * @type {{
             *   (properties: events.v1.MigrationOpEvent.$Shape): events.v1.MigrationOpEvent & events.v1.MigrationOpEvent.$Shape;
             *   (properties?: events.v1.MigrationOpEvent.$Properties): events.v1.MigrationOpEvent;
             * }}
             */
            MigrationOpEvent.create = function(properties) {
                return new MigrationOpEvent(properties);
            };

            /**
             * Encodes the specified MigrationOpEvent message. Does not implicitly {@link events.v1.MigrationOpEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.MigrationOpEvent
             * @static
             * @param {events.v1.MigrationOpEvent.$Properties} message MigrationOpEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            MigrationOpEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.operation != null && $Object.hasOwnProperty.call(message, "operation") && message.operation !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.operation);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.contextKeys != null && $Object.hasOwnProperty.call(message, "contextKeys"))
                    $root.events.v1.ContextKeys.encode(message.contextKeys, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.evaluationJson != null && $Object.hasOwnProperty.call(message, "evaluationJson") && message.evaluationJson !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.evaluationJson);
                if (message.measurementsJson != null && $Object.hasOwnProperty.call(message, "measurementsJson") && message.measurementsJson !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.measurementsJson);
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 6, wireType 1 =*/49).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a MigrationOpEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.MigrationOpEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.MigrationOpEvent & events.v1.MigrationOpEvent.$Shape} MigrationOpEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            MigrationOpEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.MigrationOpEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.operation = value;
                            else
                                delete message.operation;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            message.subject = "context";
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.contextKeys = $root.events.v1.ContextKeys.decode(reader, reader.size(), $undefined, _depth + 1, message.contextKeys);
                            message.subject = "contextKeys";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.evaluationJson = value;
                            else
                                delete message.evaluationJson;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.measurementsJson = value;
                            else
                                delete message.measurementsJson;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return MigrationOpEvent;
        })();

        v1.AliasEvent = (function() {

            /**
             * Properties of an AliasEvent.
             * @typedef {Object} events.v1.AliasEvent.$Properties
             * @property {string|null} [key] AliasEvent key
             * @property {string|null} [contextKind] AliasEvent contextKind
             * @property {string|null} [previousKey] AliasEvent previousKey
             * @property {string|null} [previousContextKind] AliasEvent previousContextKind
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an AliasEvent.
             * @memberof events.v1
             * @interface IAliasEvent
             * @augments events.v1.AliasEvent.$Properties
             * @deprecated Use events.v1.AliasEvent.$Properties instead.
             */

            /**
             * Shape of an AliasEvent.
             * @typedef {events.v1.AliasEvent.$Properties} events.v1.AliasEvent.$Shape
             */

            /**
             * Constructs a new AliasEvent.
             * @memberof events.v1
             * @classdesc Represents an AliasEvent.
             * @constructor
             * @param {events.v1.AliasEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var AliasEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * AliasEvent key.
             * @member {string} key
             * @memberof events.v1.AliasEvent
             * @instance
             */
            AliasEvent.prototype.key = "";

            /**
             * AliasEvent contextKind.
             * @member {string} contextKind
             * @memberof events.v1.AliasEvent
             * @instance
             */
            AliasEvent.prototype.contextKind = "";

            /**
             * AliasEvent previousKey.
             * @member {string} previousKey
             * @memberof events.v1.AliasEvent
             * @instance
             */
            AliasEvent.prototype.previousKey = "";

            /**
             * AliasEvent previousContextKind.
             * @member {string} previousContextKind
             * @memberof events.v1.AliasEvent
             * @instance
             */
            AliasEvent.prototype.previousContextKind = "";

            /**
             * Creates a new AliasEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.AliasEvent
             * @static
             * @param {events.v1.AliasEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.AliasEvent} AliasEvent instance
             * @type {{
             *   (properties: events.v1.AliasEvent.$Shape): events.v1.AliasEvent & events.v1.AliasEvent.$Shape;
             *   (properties?: events.v1.AliasEvent.$Properties): events.v1.AliasEvent;
             * }}
             */
            AliasEvent.create = function(properties) {
                return new AliasEvent(properties);
            };

            /**
             * Encodes the specified AliasEvent message. Does not implicitly {@link events.v1.AliasEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.AliasEvent
             * @static
             * @param {events.v1.AliasEvent.$Properties} message AliasEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            AliasEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.contextKind != null && $Object.hasOwnProperty.call(message, "contextKind") && message.contextKind !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.contextKind);
                if (message.previousKey != null && $Object.hasOwnProperty.call(message, "previousKey") && message.previousKey !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.previousKey);
                if (message.previousContextKind != null && $Object.hasOwnProperty.call(message, "previousContextKind") && message.previousContextKind !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.previousContextKind);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an AliasEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.AliasEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.AliasEvent & events.v1.AliasEvent.$Shape} AliasEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            AliasEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.AliasEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.contextKind = value;
                            else
                                delete message.contextKind;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.previousKey = value;
                            else
                                delete message.previousKey;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.previousContextKind = value;
                            else
                                delete message.previousContextKind;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return AliasEvent;
        })();

        v1.ClickEvent = (function() {

            /**
             * Properties of a ClickEvent.
             * @typedef {Object} events.v1.ClickEvent.$Properties
             * @property {string|null} [key] ClickEvent key
             * @property {string|null} [url] ClickEvent url
             * @property {string|null} [selector] ClickEvent selector
             * @property {events.v1.Context.$Properties|null} [context] ClickEvent context
             * @property {events.v1.ContextKeys.$Properties|null} [contextKeys] ClickEvent contextKeys
             * @property {number|null} [samplingRatio] ClickEvent samplingRatio
             * @property {"context"|"contextKeys"} [subject] ClickEvent subject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClickEvent.
             * @memberof events.v1
             * @interface IClickEvent
             * @augments events.v1.ClickEvent.$Properties
             * @deprecated Use events.v1.ClickEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a ClickEvent.
             * @typedef {{
             *   key?: string|null;
             *   url?: string|null;
             *   selector?: string|null;
             *   context?: events.v1.Context.$Shape|null;
             *   contextKeys?: events.v1.ContextKeys.$Shape|null;
             *   samplingRatio?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
             * )} events.v1.ClickEvent.$Shape
             */

            /**
             * Constructs a new ClickEvent.
             * @memberof events.v1
             * @classdesc Represents a ClickEvent.
             * @constructor
             * @param {events.v1.ClickEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var ClickEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ClickEvent key.
             * @member {string} key
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.key = "";

            /**
             * ClickEvent url.
             * @member {string} url
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.url = "";

            /**
             * ClickEvent selector.
             * @member {string} selector
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.selector = "";

            /**
             * ClickEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.context = null;

            /**
             * ClickEvent contextKeys.
             * @member {events.v1.ContextKeys.$Properties|null|undefined} contextKeys
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.contextKeys = null;

            /**
             * ClickEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.ClickEvent
             * @instance
             */
            ClickEvent.prototype.samplingRatio = 0;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * ClickEvent subject.
             * @member {"context"|"contextKeys"|undefined} subject
             * @memberof events.v1.ClickEvent
             * @instance
             */
            $Object.defineProperty(ClickEvent.prototype, "subject", {
                get: $util.oneOfGetter($oneOfFields = ["context", "contextKeys"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new ClickEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.ClickEvent
             * @static
             * @param {events.v1.ClickEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.ClickEvent} ClickEvent instance
             * @type {{
             *   (properties: events.v1.ClickEvent.$Shape): events.v1.ClickEvent & events.v1.ClickEvent.$Shape;
             *   (properties?: events.v1.ClickEvent.$Properties): events.v1.ClickEvent;
             * }}
             */
            ClickEvent.create = function(properties) {
                return new ClickEvent(properties);
            };

            /**
             * Encodes the specified ClickEvent message. Does not implicitly {@link events.v1.ClickEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.ClickEvent
             * @static
             * @param {events.v1.ClickEvent.$Properties} message ClickEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClickEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.url != null && $Object.hasOwnProperty.call(message, "url") && message.url !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.url);
                if (message.selector != null && $Object.hasOwnProperty.call(message, "selector") && message.selector !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.selector);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.contextKeys != null && $Object.hasOwnProperty.call(message, "contextKeys"))
                    $root.events.v1.ContextKeys.encode(message.contextKeys, writer.uint32(/* id 5, wireType 2 =*/42).fork(), _depth + 1).ldelim();
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 6, wireType 1 =*/49).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ClickEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.ClickEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.ClickEvent & events.v1.ClickEvent.$Shape} ClickEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClickEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.ClickEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.url = value;
                            else
                                delete message.url;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.selector = value;
                            else
                                delete message.selector;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            message.subject = "context";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            message.contextKeys = $root.events.v1.ContextKeys.decode(reader, reader.size(), $undefined, _depth + 1, message.contextKeys);
                            message.subject = "contextKeys";
                            continue;
                        }
                    case 6: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return ClickEvent;
        })();

        v1.PageviewEvent = (function() {

            /**
             * Properties of a PageviewEvent.
             * @typedef {Object} events.v1.PageviewEvent.$Properties
             * @property {string|null} [key] PageviewEvent key
             * @property {string|null} [url] PageviewEvent url
             * @property {events.v1.Context.$Properties|null} [context] PageviewEvent context
             * @property {events.v1.ContextKeys.$Properties|null} [contextKeys] PageviewEvent contextKeys
             * @property {number|null} [samplingRatio] PageviewEvent samplingRatio
             * @property {"context"|"contextKeys"} [subject] PageviewEvent subject
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PageviewEvent.
             * @memberof events.v1
             * @interface IPageviewEvent
             * @augments events.v1.PageviewEvent.$Properties
             * @deprecated Use events.v1.PageviewEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a PageviewEvent.
             * @typedef {{
             *   key?: string|null;
             *   url?: string|null;
             *   context?: events.v1.Context.$Shape|null;
             *   contextKeys?: events.v1.ContextKeys.$Shape|null;
             *   samplingRatio?: number|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ subject?: undefined; context?: null; contextKeys?: null }|{ subject?: "context"; context: events.v1.Context.$Shape; contextKeys?: null }|{ subject?: "contextKeys"; context?: null; contextKeys: events.v1.ContextKeys.$Shape })
             * )} events.v1.PageviewEvent.$Shape
             */

            /**
             * Constructs a new PageviewEvent.
             * @memberof events.v1
             * @classdesc Represents a PageviewEvent.
             * @constructor
             * @param {events.v1.PageviewEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var PageviewEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PageviewEvent key.
             * @member {string} key
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            PageviewEvent.prototype.key = "";

            /**
             * PageviewEvent url.
             * @member {string} url
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            PageviewEvent.prototype.url = "";

            /**
             * PageviewEvent context.
             * @member {events.v1.Context.$Properties|null|undefined} context
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            PageviewEvent.prototype.context = null;

            /**
             * PageviewEvent contextKeys.
             * @member {events.v1.ContextKeys.$Properties|null|undefined} contextKeys
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            PageviewEvent.prototype.contextKeys = null;

            /**
             * PageviewEvent samplingRatio.
             * @member {number} samplingRatio
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            PageviewEvent.prototype.samplingRatio = 0;

            // OneOf field names bound to virtual getters and setters
            var $oneOfFields;

            /**
             * PageviewEvent subject.
             * @member {"context"|"contextKeys"|undefined} subject
             * @memberof events.v1.PageviewEvent
             * @instance
             */
            $Object.defineProperty(PageviewEvent.prototype, "subject", {
                get: $util.oneOfGetter($oneOfFields = ["context", "contextKeys"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new PageviewEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.PageviewEvent
             * @static
             * @param {events.v1.PageviewEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.PageviewEvent} PageviewEvent instance
             * @type {{
             *   (properties: events.v1.PageviewEvent.$Shape): events.v1.PageviewEvent & events.v1.PageviewEvent.$Shape;
             *   (properties?: events.v1.PageviewEvent.$Properties): events.v1.PageviewEvent;
             * }}
             */
            PageviewEvent.create = function(properties) {
                return new PageviewEvent(properties);
            };

            /**
             * Encodes the specified PageviewEvent message. Does not implicitly {@link events.v1.PageviewEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.PageviewEvent
             * @static
             * @param {events.v1.PageviewEvent.$Properties} message PageviewEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PageviewEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.key != null && $Object.hasOwnProperty.call(message, "key") && message.key !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.key);
                if (message.url != null && $Object.hasOwnProperty.call(message, "url") && message.url !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.url);
                if (message.context != null && $Object.hasOwnProperty.call(message, "context"))
                    $root.events.v1.Context.encode(message.context, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.contextKeys != null && $Object.hasOwnProperty.call(message, "contextKeys"))
                    $root.events.v1.ContextKeys.encode(message.contextKeys, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.samplingRatio != null && $Object.hasOwnProperty.call(message, "samplingRatio") && !$Object.is(message.samplingRatio, 0))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.samplingRatio);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a PageviewEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.PageviewEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.PageviewEvent & events.v1.PageviewEvent.$Shape} PageviewEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PageviewEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.PageviewEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.key = value;
                            else
                                delete message.key;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.url = value;
                            else
                                delete message.url;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.context = $root.events.v1.Context.decode(reader, reader.size(), $undefined, _depth + 1, message.context);
                            message.subject = "context";
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.contextKeys = $root.events.v1.ContextKeys.decode(reader, reader.size(), $undefined, _depth + 1, message.contextKeys);
                            message.subject = "contextKeys";
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.samplingRatio = value;
                            else
                                delete message.samplingRatio;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return PageviewEvent;
        })();

        v1.DiagnosticEvent = (function() {

            /**
             * Properties of a DiagnosticEvent.
             * @typedef {Object} events.v1.DiagnosticEvent.$Properties
             * @property {string|null} [bodyJson] DiagnosticEvent bodyJson
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DiagnosticEvent.
             * @memberof events.v1
             * @interface IDiagnosticEvent
             * @augments events.v1.DiagnosticEvent.$Properties
             * @deprecated Use events.v1.DiagnosticEvent.$Properties instead.
             */

            /**
             * Shape of a DiagnosticEvent.
             * @typedef {events.v1.DiagnosticEvent.$Properties} events.v1.DiagnosticEvent.$Shape
             */

            /**
             * Constructs a new DiagnosticEvent.
             * @memberof events.v1
             * @classdesc Represents a DiagnosticEvent.
             * @constructor
             * @param {events.v1.DiagnosticEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            var DiagnosticEvent = function (properties) {
                if (properties)
                    for (var keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DiagnosticEvent bodyJson.
             * @member {string} bodyJson
             * @memberof events.v1.DiagnosticEvent
             * @instance
             */
            DiagnosticEvent.prototype.bodyJson = "";

            /**
             * Creates a new DiagnosticEvent instance using the specified properties.
             * @function create
             * @memberof events.v1.DiagnosticEvent
             * @static
             * @param {events.v1.DiagnosticEvent.$Properties=} [properties] Properties to set
             * @returns {events.v1.DiagnosticEvent} DiagnosticEvent instance
             * @type {{
             *   (properties: events.v1.DiagnosticEvent.$Shape): events.v1.DiagnosticEvent & events.v1.DiagnosticEvent.$Shape;
             *   (properties?: events.v1.DiagnosticEvent.$Properties): events.v1.DiagnosticEvent;
             * }}
             */
            DiagnosticEvent.create = function(properties) {
                return new DiagnosticEvent(properties);
            };

            /**
             * Encodes the specified DiagnosticEvent message. Does not implicitly {@link events.v1.DiagnosticEvent.verify|verify} messages.
             * @function encode
             * @memberof events.v1.DiagnosticEvent
             * @static
             * @param {events.v1.DiagnosticEvent.$Properties} message DiagnosticEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DiagnosticEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.bodyJson != null && $Object.hasOwnProperty.call(message, "bodyJson") && message.bodyJson !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.bodyJson);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (var i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DiagnosticEvent message from the specified reader or buffer.
             * @function decode
             * @memberof events.v1.DiagnosticEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {events.v1.DiagnosticEvent & events.v1.DiagnosticEvent.$Shape} DiagnosticEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DiagnosticEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                var end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.events.v1.DiagnosticEvent();
                while (reader.pos < end) {
                    var start = reader.pos;
                    var tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    var wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.bodyJson = value;
                            else
                                delete message.bodyJson;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            return DiagnosticEvent;
        })();

        return v1;
    })();

    return events;
})();

module.exports = $root;
