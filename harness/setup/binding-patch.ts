/**
 * The one change `fusebench setup tensorflow` makes to tfjs-node's N-API binding before building it.
 *
 * tfjs-node 4.22.0's `AssignOpAttr` (binding/tfjs_backend.cc) sets a string attr from one JS string and a
 * type attr from one number: it has no list(string) and no list(type). TensorFlow's fused ops need both
 * (`_FusedMatMul` and `_FusedConv2D` take `fused_ops: list(string)`, `_FusedConv2D` takes `TArgs: list(type)`),
 * so the stock binding cannot execute them at all (pinned in test/findings/tfjs_node_fused_ops.test.ts).
 * The patch adds an array branch to those two cases, calling TFE_OpSetAttrStringList / TFE_OpSetAttrTypeList;
 * a scalar value takes the original path unchanged. It is applied to the source in node_modules, never to the
 * repository, and recognised by its marker so that applying it twice changes nothing.
 */
export const BINDING_PATCH_ID = 'fusebench-list-attrs-1';
const MARKER = `// ${BINDING_PATCH_ID}: list(string) and list(type) attrs`;

const STRING_CASE = '    case TF_ATTR_STRING: {\n';
const TYPE_CASE = '    case TF_ATTR_TYPE: {\n';
const INCLUDE_ANCHOR = '#include <string>\n';

const STRING_LIST = `      ${MARKER}
      if (IsArray(env, nstatus, &js_value)) {
        uint32_t length;
        nstatus = napi_get_array_length(env, js_value, &length);
        ENSURE_NAPI_OK(env, nstatus);
        std::vector<std::string> strings(length);
        std::vector<const void *> values(length);
        std::vector<size_t> lengths(length);
        for (uint32_t i = 0; i < length; ++i) {
          napi_value element;
          nstatus = napi_get_element(env, js_value, i, &element);
          ENSURE_NAPI_OK(env, nstatus);
          nstatus = GetStringParam(env, element, strings[i]);
          ENSURE_NAPI_OK(env, nstatus);
          values[i] = strings[i].data();
          lengths[i] = strings[i].size();
        }
        TFE_OpSetAttrStringList(tfe_op, attr_name, values.data(), lengths.data(),
                                static_cast<int>(length));
        break;
      }
`;

const TYPE_LIST = `      if (IsArray(env, nstatus, &js_value)) {
        uint32_t length;
        nstatus = napi_get_array_length(env, js_value, &length);
        ENSURE_NAPI_OK(env, nstatus);
        std::vector<TF_DataType> types(length);
        for (uint32_t i = 0; i < length; ++i) {
          napi_value element;
          nstatus = napi_get_element(env, js_value, i, &element);
          ENSURE_NAPI_OK(env, nstatus);
          int32_t value;
          nstatus = napi_get_value_int32(env, element, &value);
          ENSURE_NAPI_OK(env, nstatus);
          types[i] = static_cast<TF_DataType>(value);
        }
        TFE_OpSetAttrTypeList(tfe_op, attr_name, types.data(),
                              static_cast<int>(length));
        break;
      }
`;

export class BindingPatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BindingPatchError';
  }
}

export const isPatched = (source: string): boolean => source.includes(MARKER);

function insertAfterOnce(source: string, anchor: string, text: string, file: string): string {
  const at = source.indexOf(anchor);
  if (at < 0 || source.indexOf(anchor, at + 1) >= 0) {
    throw new BindingPatchError(`${file}: expected exactly one ${JSON.stringify(anchor.trim())}; this tfjs-node version's binding differs from 4.22.0's, so the list-attr patch cannot be applied`);
  }
  return source.slice(0, at + anchor.length) + text + source.slice(at + anchor.length);
}

/** tfjs_backend.cc with list(string) and list(type) attrs; unchanged when already patched. */
export function patchBindingSource(source: string, file = 'binding/tfjs_backend.cc'): string {
  if (isPatched(source)) return source;
  let out = insertAfterOnce(source, INCLUDE_ANCHOR, '#include <vector>\n', file);
  out = insertAfterOnce(out, STRING_CASE, STRING_LIST, file);
  return insertAfterOnce(out, TYPE_CASE, TYPE_LIST, file);
}
