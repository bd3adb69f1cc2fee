// An emulated CUDA for machines without a GPU: the libcuda, NVRTC and cuBLASLt entry points the cuda backend
// calls (backends/cuda/ffi/*.ts), in one shared library that test/cuda/emulate/fake-cuda.ts installs under the
// three sonames and points FUSEBENCH_CUDA_LIBS at. The backend runs unchanged on top of it:
// - "device" memory is host memory (256-byte aligned; a fresh allocation reads as NaN / -1, as garbage would);
// - NVRTC compiles a kernel's CUDA source as C++ against fb_emulate.h (g++, one shared object per source),
//   with a launch wrapper per extern "C" __global__ entry; the "cubin" is that shared object;
// - cuLaunchKernel runs the wrapper: every CUDA thread a fiber (fb_emulate.h), synchronously; a kernel declared with
//   __cluster_dims__ runs its blocks cluster by cluster, as CUDA launches it;
// - cuBLASLt's matmul is a plain column-major GEMM (double accumulation) with the bias/ReLU/GELU-tanh epilogues;
// - no cuDNN: the backend's convolutions take the im2col path.
// It checks logic (indexing, masking, barriers, the backend's host code), never speed or CUDA's own rounding.
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#ifndef FB_EMULATE_DIR
#error "build with -DFB_EMULATE_DIR=\"<folder of fb_emulate.h>\""
#endif

namespace {
std::map<uintptr_t, size_t> allocations;
size_t allocated = 0;
const size_t TOTAL = size_t(16) << 30;

struct Event { std::chrono::steady_clock::time_point t; };
}  // namespace

extern "C" {

// ---- libcuda --------------------------------------------------------------------------------------------

int cuGetErrorName(int e, const char** s) {
  static const std::map<int, const char*> names = {{0, "CUDA_SUCCESS"}, {1, "CUDA_ERROR_INVALID_VALUE"}, {2, "CUDA_ERROR_OUT_OF_MEMORY"},
                                                   {200, "CUDA_ERROR_INVALID_IMAGE"}, {500, "CUDA_ERROR_NOT_FOUND"}, {912, "CUDA_ERROR_INVALID_CLUSTER_SIZE"}, {600, "CUDA_ERROR_NOT_READY"}};
  auto it = names.find(e);
  *s = it == names.end() ? "CUDA_ERROR_UNKNOWN" : it->second;
  return 0;
}
int cuGetErrorString(int e, const char** s) {
  *s = e == 2 ? "out of memory (emulated)" : e == 500 ? "named symbol not found (emulated)" : "error (emulated CUDA)";
  return 0;
}
int cuInit(unsigned) { return 0; }
int cuDriverGetVersion(int* v) { *v = 13000; return 0; }
int cuDeviceGetCount(int* n) { *n = 1; return 0; }
int cuDeviceGet(int* d, int ordinal) { *d = ordinal; return ordinal == 0 ? 0 : 1; }
int cuDeviceGetName(char* name, int len, int) { std::snprintf(name, len, "CPU emulation (fusebench fake libcuda)"); return 0; }
int cuDeviceGetAttribute(int* v, int attrib, int) {
  switch (attrib) {
    case 16: *v = 2; break;                 // multiprocessors
    case 36: *v = 1000000; break;           // memory clock
    case 37: *v = 1024; break;              // bus width
    case 75: *v = 9; break;                 // compute capability major
    case 76: *v = 0; break;                 // minor
    case 38: *v = 4 << 20; break;           // L2 bytes
    case 97: *v = 227 << 10; break;         // max opt-in shared memory per block
    default: *v = 0;
  }
  return 0;
}
int cuDeviceTotalMem_v2(uint64_t* bytes, int) { *bytes = TOTAL; return 0; }
int cuDevicePrimaryCtxRetain(void** ctx, int) { static int c; *ctx = &c; return 0; }
int cuCtxSetCurrent(void*) { return 0; }
int cuCtxSynchronize() { return 0; }
int cuStreamSynchronize(uint64_t) { return 0; }
int cuMemHostAlloc(void** p, uint64_t bytes, unsigned) { *p = std::calloc(1, bytes); return *p ? 0 : 2; }
int cuMemHostGetDevicePointer_v2(uint64_t* d, void* p, unsigned) { *d = reinterpret_cast<uintptr_t>(p); return 0; }
int cuMemFreeHost(void* p) { std::free(p); return 0; }
int cuMemAlloc_v2(uint64_t* d, uint64_t bytes) {
  if (allocated + bytes > TOTAL) return 2;
  void* p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
  if (!p) return 2;
  std::memset(p, 0xff, bytes);
  allocations[reinterpret_cast<uintptr_t>(p)] = bytes;
  allocated += bytes;
  *d = reinterpret_cast<uintptr_t>(p);
  return 0;
}
int cuMemFree_v2(uint64_t d) {
  auto it = allocations.find(d);
  if (it == allocations.end()) return 1;
  allocated -= it->second;
  allocations.erase(it);
  std::free(reinterpret_cast<void*>(d));
  return 0;
}
int cuMemGetInfo_v2(uint64_t* free, uint64_t* total) { *free = TOTAL - allocated; *total = TOTAL; return 0; }
int cuMemcpyHtoD_v2(uint64_t dst, const void* src, uint64_t bytes) { std::memcpy(reinterpret_cast<void*>(dst), src, bytes); return 0; }
int cuMemcpyDtoH_v2(void* dst, uint64_t src, uint64_t bytes) { std::memcpy(dst, reinterpret_cast<const void*>(src), bytes); return 0; }
int cuMemcpyDtoD_v2(uint64_t dst, uint64_t src, uint64_t bytes) { std::memmove(reinterpret_cast<void*>(dst), reinterpret_cast<const void*>(src), bytes); return 0; }
int cuMemsetD32_v2(uint64_t dst, unsigned value, uint64_t count) {
  auto* p = reinterpret_cast<unsigned*>(dst);
  for (uint64_t i = 0; i < count; ++i) p[i] = value;
  return 0;
}

static const char MAGIC[8] = {'F', 'B', 'E', 'M', 'U', 'S', 'O', '1'};

int cuModuleLoadData(void** mod, const void* image) {
  const char* img = static_cast<const char*>(image);
  if (std::memcmp(img, MAGIC, 8) != 0) return 200;
  uint64_t size;
  std::memcpy(&size, img + 8, 8);
  char path[] = "/tmp/fbemu-module-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return 200;
  const bool written = write(fd, img + 16, size) == static_cast<ssize_t>(size);
  close(fd);
  void* h = written ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : nullptr;
  if (!h) std::fprintf(stderr, "fake libcuda: dlopen failed: %s\n", dlerror());
  unlink(path);
  if (!h) return 200;
  *mod = h;
  return 0;
}

using LaunchFn = int (*)(unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void**);

int cuModuleGetFunction(void** fn, void* mod, const char* name) {
  void* f = dlsym(mod, (std::string("fb_emu_launch_") + name).c_str());
  if (!f) return 500;
  *fn = f;
  return 0;
}
int cuFuncSetAttribute(void*, int, int) { return 0; }
int cuLaunchKernel(uint64_t f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned smem, uint64_t, uint64_t params, uint64_t) {
  if (bx * by * bz > 1024 || bx * by * bz == 0) return 1;
  return reinterpret_cast<LaunchFn>(f)(gx, gy, gz, bx, by, bz, smem, reinterpret_cast<void**>(params));
}
int cuEventCreate(void** ev, unsigned) { *ev = new Event{std::chrono::steady_clock::now()}; return 0; }
int cuEventRecord(void* ev, void*) { static_cast<Event*>(ev)->t = std::chrono::steady_clock::now(); return 0; }
int cuEventSynchronize(void*) { return 0; }
int cuEventQuery(void*) { return 0; }
int cuEventDestroy_v2(void* ev) { delete static_cast<Event*>(ev); return 0; }
int cuEventElapsedTime_v2(float* ms, void* a, void* b) {
  *ms = std::chrono::duration<float, std::milli>(static_cast<Event*>(b)->t - static_cast<Event*>(a)->t).count();
  return 0;
}
int cuEventElapsedTime(float* ms, void* a, void* b) { return cuEventElapsedTime_v2(ms, a, b); }

// ---- NVRTC ----------------------------------------------------------------------------------------------

struct Program {
  std::string source, name, log;
  std::vector<char> cubin;
};

const char* nvrtcGetErrorString(int r) { return r == 0 ? "NVRTC_SUCCESS" : r == 6 ? "NVRTC_ERROR_COMPILATION" : "NVRTC_ERROR (emulated)"; }
int nvrtcVersion(int* major, int* minor) { *major = 0; *minor = 1; return 0; }
int nvrtcCreateProgram(void** prog, const char* src, const char* name, int, void*, void*) {
  *prog = new Program{src, name ? name : "kernel.cu", "", {}};
  return 0;
}

/* The C++ translation unit for one CUDA source: the emulation header, the source, one launch wrapper per entry. */
static std::string translationUnit(const std::string& source) {
  // extern __shared__ arrays become the block's dynamic shared memory.
  static const std::regex dyn(R"(extern\s+__shared__\s+(?:__align__\(\d+\)\s+)?(\w+)\s+(\w+)\s*\[\s*\]\s*;)");
  std::string body = std::regex_replace(source, dyn, "$1* $2 = reinterpret_cast<$1*>(fb_emulate_dynamic_smem());");
  // An entry, with the attributes between `void` and its name (__launch_bounds__, __cluster_dims__, or macros of them).
  static const std::regex entry(R"(extern\s+"C"\s+__global__\s+void\s+((?:\w+\s*(?:\([^)]*\))?\s*)*?)(?!__launch_bounds__|__cluster_dims__)(\w+)\s*\()");
  std::ostringstream tu;
  tu << "#include \"fb_emulate.h\"\n";
  // Before each entry, the cluster its declaration asks for (CUDA takes it from __cluster_dims__ at launch): the
  // attributes expanded there, where the source's macros are defined, with __cluster_dims__(x, y, z) as
  // `, dim3{x, y, z}` (a macro standing for it expands the same way).
  std::vector<std::string> names;
  size_t at = 0;
  for (auto it = std::sregex_iterator(body.begin(), body.end(), entry); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[2], attrs = (*it)[1];
    tu << body.substr(at, it->position() - at)
       << "\n#pragma push_macro(\"__cluster_dims__\")\n#undef __cluster_dims__\n#define __cluster_dims__(x, y, z) , dim3{x, y, z}\n"
       << "static constexpr dim3 fb_emu_cluster_" << name << " = fb_emu::declaredCluster(0 " << attrs << ");\n"
       << "#pragma pop_macro(\"__cluster_dims__\")\n" << it->str();
    at = it->position() + it->length();
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  tu << body.substr(at) << "\n";
  for (const auto& n : names) {
    tu << "extern \"C\" int fb_emu_launch_" << n << "(unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned smem, void** p) {\n"
       << "  constexpr dim3 c = fb_emu_cluster_" << n << ";\n"
       // A grid that is not a whole number of clusters: CUDA refuses the launch (CUDA_ERROR_INVALID_CLUSTER_SIZE).
       << "  if (gx % c.x != 0 || gy % c.y != 0 || gz % c.z != 0) return 912;\n"
       << "  fb_emulate_launch_params(" << n << ", dim3{gx, gy, gz}, dim3{bx, by, bz}, smem, c, p);\n  return 0;\n}\n";
  }
  return tu.str();
}

int nvrtcCompileProgram(void* prog, int, const char**) {
  auto* p = static_cast<Program*>(prog);
  char dir[] = "/tmp/fbemu-nvrtc-XXXXXX";
  if (!mkdtemp(dir)) return 1;
  const std::string src = std::string(dir) + "/k.cpp", so = std::string(dir) + "/k.so";
  { std::ofstream(src) << translationUnit(p->source); }
  const char* cxx = std::getenv("FB_EMU_CXX");
  const std::string cmd = std::string(cxx && *cxx ? cxx : "g++") + " -std=c++20 -O1 -fPIC -shared -w -fno-strict-aliasing -I" FB_EMULATE_DIR " -o " + so + " " + src + " 2>&1";
  std::string log;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) return 1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) log.append(buf, n);
  const int status = pclose(pipe);
  p->log = log;
  int rc = 6;
  if (status == 0) {
    std::ifstream in(so, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const uint64_t size = bytes.size();
    p->cubin.assign(MAGIC, MAGIC + 8);
    p->cubin.insert(p->cubin.end(), reinterpret_cast<const char*>(&size), reinterpret_cast<const char*>(&size) + 8);
    p->cubin.insert(p->cubin.end(), bytes.begin(), bytes.end());
    rc = 0;
  } else {
    p->log = "(emulated NVRTC: g++ of " + p->name + ")\n" + log;
  }
  std::remove(src.c_str());
  std::remove(so.c_str());
  rmdir(dir);
  return rc;
}
int nvrtcGetProgramLogSize(void* prog, uint64_t* size) { *size = static_cast<Program*>(prog)->log.size() + 1; return 0; }
int nvrtcGetProgramLog(void* prog, char* log) {
  const auto& l = static_cast<Program*>(prog)->log;
  std::memcpy(log, l.c_str(), l.size() + 1);
  return 0;
}
int nvrtcGetCUBINSize(void* prog, uint64_t* size) { *size = static_cast<Program*>(prog)->cubin.size(); return 0; }
int nvrtcGetCUBIN(void* prog, char* out) {
  const auto& c = static_cast<Program*>(prog)->cubin;
  std::memcpy(out, c.data(), c.size());
  return 0;
}
int nvrtcDestroyProgram(void** prog) {
  delete static_cast<Program*>(*prog);
  *prog = nullptr;
  return 0;
}

// ---- cuBLASLt -------------------------------------------------------------------------------------------

struct Desc { int transA = 0, transB = 0, epilogue = 1; uint64_t bias = 0; };
struct Layout { uint64_t rows, cols; int64_t ld; int batch = 1; int64_t stride = 0; };

const char* cublasLtGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : s == 15 ? "CUBLAS_STATUS_NOT_SUPPORTED" : "CUBLAS_STATUS_INVALID_VALUE"; }
const char* cublasLtGetStatusString(int) { return "emulated cuBLASLt"; }
uint64_t cublasLtGetVersion() { return 130000; }
int cublasLtCreate(void** h) { static int handle; *h = &handle; return 0; }
int cublasLtMatmulDescCreate(void** d, int computeType, int scaleType) {
  if (computeType != 68 || scaleType != 0) return 15;
  *d = new Desc();
  return 0;
}
int cublasLtMatmulDescSetAttribute(void* d, int attr, const void* buf, uint64_t) {
  auto* desc = static_cast<Desc*>(d);
  if (attr == 3) std::memcpy(&desc->transA, buf, 4);
  else if (attr == 4) std::memcpy(&desc->transB, buf, 4);
  else if (attr == 7) std::memcpy(&desc->epilogue, buf, 4);
  else if (attr == 8) std::memcpy(&desc->bias, buf, 8);
  else return 7;
  return 0;
}
int cublasLtMatrixLayoutCreate(void** l, int type, uint64_t rows, uint64_t cols, int64_t ld) {
  if (type != 0) return 15;
  *l = new Layout{rows, cols, ld};
  return 0;
}
int cublasLtMatrixLayoutSetAttribute(void* l, int attr, const void* buf, uint64_t) {
  auto* layout = static_cast<Layout*>(l);
  if (attr == 5) std::memcpy(&layout->batch, buf, 4);
  else if (attr == 6) std::memcpy(&layout->stride, buf, 8);
  else return 7;
  return 0;
}
int cublasLtMatmulPreferenceCreate(void** p) { static int pref; *p = &pref; return 0; }
int cublasLtMatmulPreferenceSetAttribute(void*, int, const void*, uint64_t) { return 0; }
int cublasLtMatmulPreferenceDestroy(void*) { return 0; }
int cublasLtMatmulAlgoGetHeuristic(void*, void*, void*, void*, void*, void*, void*, int requested, char* results, int* count) {
  if (requested < 1) return 7;
  std::memset(results, 0, 96);  // one algorithm: state 0 (offset 72), workspace 0 (offset 64)
  *count = 1;
  return 0;
}
int cublasLtMatmul(uint64_t, uint64_t desc, uint64_t alpha, uint64_t A, uint64_t a, uint64_t B, uint64_t b, uint64_t beta, uint64_t, uint64_t,
                   uint64_t D, uint64_t d, uint64_t, uint64_t, uint64_t, uint64_t) {
  const auto& ds = *reinterpret_cast<const Desc*>(desc);
  const auto& la = *reinterpret_cast<const Layout*>(a);
  const auto& lb = *reinterpret_cast<const Layout*>(b);
  const auto& ld = *reinterpret_cast<const Layout*>(d);
  const float al = *reinterpret_cast<const float*>(alpha), be = *reinterpret_cast<const float*>(beta);
  const uint64_t m = ld.rows, n = ld.cols, k = ds.transA ? la.rows : la.cols;
  const float* pa = reinterpret_cast<const float*>(A);
  const float* pb = reinterpret_cast<const float*>(B);
  float* pd = reinterpret_cast<float*>(D);
  const float* bias = reinterpret_cast<const float*>(ds.bias);
  const bool hasBias = ds.epilogue == 4 || ds.epilogue == 6 || ds.epilogue == 36;
  const bool relu = ds.epilogue == 2 || ds.epilogue == 6;
  const bool gelu = ds.epilogue == 32 || ds.epilogue == 36;
  for (int bt = 0; bt < ld.batch; ++bt) {
    const float* ba = pa + bt * la.stride;
    const float* bb = pb + bt * lb.stride;
    float* bd = pd + bt * ld.stride;
    for (uint64_t j = 0; j < n; ++j)
      for (uint64_t i = 0; i < m; ++i) {
        double acc = 0;
        for (uint64_t l = 0; l < k; ++l) {
          const double x = ds.transA ? ba[l + i * la.ld] : ba[i + l * la.ld];
          const double y = ds.transB ? bb[j + l * lb.ld] : bb[l + j * lb.ld];
          acc += x * y;
        }
        double v = al * acc + (be != 0.f ? be * bd[i + j * ld.ld] : 0.0);
        if (hasBias) v += bias[i];
        if (relu && v < 0) v = 0;
        if (gelu) v = 0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
        bd[i + j * ld.ld] = static_cast<float>(v);
      }
  }
  return 0;
}

}  // extern "C"
