/* cffi declarations of abi/scap_abi.h: the wire event header, 26 bytes, packed (both loaders pass
 * packed=True for this file). */
struct scap_evt_hdr {
	uint64_t ts;
	uint64_t tid;
	uint32_t len;
	uint16_t type;
	uint32_t nparams;
};
