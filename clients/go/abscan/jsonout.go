package abscan

import (
	"bytes"
	"encoding/json"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// MarshalJSON prints a message as the canonical JSON the three abscan clients share: lowerCamelCase names,
// fields without presence printed with their defaults (EmitDefaultValues: unlike EmitUnpopulated it prints no
// null for unset messages, matching Python's always_print_fields_with_no_presence), field-number order,
// 2-space indent. protojson adds random whitespace on purpose, so the output is compacted and re-indented.
func MarshalJSON(m proto.Message) ([]byte, error) {
	raw, err := protojson.MarshalOptions{EmitDefaultValues: true}.Marshal(m)
	if err != nil {
		return nil, err
	}
	var compact, out bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, err
	}
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
