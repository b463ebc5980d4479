package summary_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/testraces/testraces/analyzer/internal/summary"
)

// TestEqualSeesEveryField sets each field of a Summary, at any depth of
// its families, and checks that equal tells it from the empty one: the
// fixed point stops when equal says nothing changed, so a field it missed
// would end it early without a word.
func TestEqualSeesEveryField(t *testing.T) {
	var zero summary.Summary
	typ := reflect.TypeOf(zero)
	var walk func(path []int, typ reflect.Type)
	walk = func(path []int, typ reflect.Type) {
		for i := range typ.NumField() {
			field := typ.Field(i)
			at := append(slices.Clone(path), i)
			if field.Type.Kind() == reflect.Struct {
				walk(at, field.Type)
				continue
			}
			var s summary.Summary
			v := reflect.ValueOf(&s).Elem().FieldByIndex(at)
			switch v.Kind() {
			case reflect.Bool:
				v.SetBool(true)
			case reflect.Uint64:
				v.SetUint(1)
			case reflect.Slice:
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			case reflect.Array:
				v.Index(0).Field(0).SetInt(1) // a Guard's operand
			default:
				t.Fatalf("%s: a %s field: teach this test to set it", field.Name, v.Kind())
			}
			if summary.Equal(&s, &zero) {
				t.Errorf("equal misses %s", field.Name)
			}
		}
	}
	walk(nil, typ)
}
