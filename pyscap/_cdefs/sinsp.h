/* cffi declarations of libsinsp's public C API, kept close to libsinsp/include/sinsp/*.h. */

/* sinsp/sinsp.h */
const char *sinsp_version_string(void);
const char *sinsp_scap_version_string(void);
const char *sinsp_last_error(void);
