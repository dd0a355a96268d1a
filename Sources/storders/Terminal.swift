// The terminal output (Console, Table, CSV, ListWriter, the indicators' rendering) lives in
// STOrdersTerminal, shared with storders-national; every command of this program sees it.
@_exported import STOrdersTerminal
