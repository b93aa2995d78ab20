import * as protobuf from 'protobufjs/minimal';

// Timestamps in milliseconds fit a double exactly; without long.js int64 fields decode to plain numbers.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();
