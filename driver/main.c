// SPDX-License-Identifier: GPL-2.0-only
/*
 * pyscap kernel module: character devices, per-CPU rings mapped into the consumer, the control
 * ioctls and the tracepoint registrations. The events themselves are built by the probes (probe.c,
 * proc.c, sched.c) in this CPU's scratch buffer and copied into its ring by ring.c.
 *
 * One consumer at a time (a process, identified by its tgid) may open the devices (another
 * process gets EBUSY); each device once (a second open by the consumer gets EEXIST). Its rings and settings live until its last device file is released. While a device is
 * open the module cannot be unloaded (the char device holds a module reference), so rmmod fails
 * cleanly with EBUSY instead of pulling rings from under a mapping.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "pyscap.h"
#include "scap_abi_progs.h"

#define PYSCAP_DRIVER_VERSION "0.1.0"

static unsigned int buffer_bytes = PYSCAP_DEFAULT_BUFFER_BYTES;
module_param(buffer_bytes, uint, 0444);
MODULE_PARM_DESC(buffer_bytes, "default per-CPU ring size in bytes (power of 2, at least one page)");

struct pyscap_settings g_pyscap;

static DEFINE_MUTEX(g_lock); /* consumer lifecycle, settings, registrations */
struct pyscap_dev *g_devs;   /* [nr_cpu_ids] */
u8 **g_scratch;		     /* [nr_cpu_ids], while a consumer exists */
static pid_t g_owner;	     /* consumer tgid, 0 = none */
static unsigned int g_nopen;
static atomic_long_t g_live_allocs = ATOMIC_LONG_INIT(0); /* leak check at release */

static dev_t g_devt;
static struct cdev g_cdev;
static struct class *g_class;
static unsigned int g_ndevs;

/* ------------------------------------------------------------------------------------------ */
/* Tracepoints                                                                                  */

enum pyscap_hook {
	HOOK_SYS_ENTER,
	HOOK_SYS_EXIT,
	HOOK_SCHED_EXEC,
	HOOK_SCHED_EXIT,
	HOOK_SCHED_SWITCH,
	HOOK_SIGNAL_DELIVER,
	HOOK_PAGE_FAULT_USER,
	HOOK_PAGE_FAULT_KERNEL,
	HOOK_MAX,
};

static struct {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool registered;
	bool optional; /* the module loads without it; enabling it then fails with EOPNOTSUPP */
} g_hooks[HOOK_MAX] = {
	[HOOK_SYS_ENTER] = { "sys_enter", pyscap_probe_sys_enter },
	[HOOK_SYS_EXIT] = { "sys_exit", pyscap_probe_sys_exit },
	[HOOK_SCHED_EXEC] = { "sched_process_exec", pyscap_probe_sched_exec },
	[HOOK_SCHED_EXIT] = { "sched_process_exit", pyscap_probe_sched_exit },
	[HOOK_SCHED_SWITCH] = { "sched_switch", pyscap_probe_sched_switch },
	[HOOK_SIGNAL_DELIVER] = { "signal_deliver", pyscap_probe_signal_deliver },
	/* x86 only; registering them also switches on the kernel's page-fault trace key */
	[HOOK_PAGE_FAULT_USER] = { "page_fault_user", pyscap_probe_page_fault_user, NULL, false, true },
	[HOOK_PAGE_FAULT_KERNEL] = { "page_fault_kernel", pyscap_probe_page_fault_kernel, NULL, false, true },
};

static void find_tracepoint(struct tracepoint *tp, void *priv)
{
	int i;

	for (i = 0; i < HOOK_MAX; i++)
		if (!strcmp(tp->name, g_hooks[i].name))
			g_hooks[i].tp = tp;
}

/* The syscalls whose enter event is still produced (TOCTOU: abi/scap_abi_progs.h). */
static const u16 g_toctou_nr[] = {
#define TOCTOU_NR(nr, nm, evt) nr,
	SCAP_TOCTOU_SYSCALLS(TOCTOU_NR)
#undef TOCTOU_NR
};

/* Bring the registrations in line with the settings (g_lock held). */
static int sync_hooks(void)
{
	bool want[HOOK_MAX] = {};
	int i, rc = 0;

	if (g_pyscap.capturing) {
		for (i = 0; i < SCAP_SYSCALL_NR_MAX; i++)
			if (g_pyscap.interesting[i])
				want[HOOK_SYS_EXIT] = true;
		for (i = 0; i < ARRAY_SIZE(g_toctou_nr); i++)
			if (g_pyscap.interesting[g_toctou_nr[i]] & PYSCAP_SC_NATIVE)
				want[HOOK_SYS_ENTER] = true;
		want[HOOK_SCHED_EXEC] = g_pyscap.tp[PYSCAP_TP_SCHED_PROCESS_EXEC];
		want[HOOK_SCHED_EXIT] = g_pyscap.tp[PYSCAP_TP_SCHED_PROCESS_EXIT];
		want[HOOK_SCHED_SWITCH] = g_pyscap.tp[PYSCAP_TP_SCHED_SWITCH];
		want[HOOK_SIGNAL_DELIVER] = g_pyscap.tp[PYSCAP_TP_SIGNAL_DELIVER];
		want[HOOK_PAGE_FAULT_USER] = g_pyscap.tp[PYSCAP_TP_PAGE_FAULT_USER];
		want[HOOK_PAGE_FAULT_KERNEL] = g_pyscap.tp[PYSCAP_TP_PAGE_FAULT_KERNEL];
	}
	for (i = 0; i < HOOK_MAX; i++) {
		int err = 0;

		if (want[i] == g_hooks[i].registered)
			continue;
		if (!g_hooks[i].tp) {
			rc = rc ? rc : -EOPNOTSUPP;
			continue;
		}
		if (want[i])
			err = tracepoint_probe_register(g_hooks[i].tp, g_hooks[i].probe, NULL);
		else
			err = tracepoint_probe_unregister(g_hooks[i].tp, g_hooks[i].probe, NULL);
		if (err) {
			pr_err("cannot %sregister tracepoint %s: %d\n", want[i] ? "" : "un", g_hooks[i].name, err);
			rc = rc ? rc : err;
			continue;
		}
		g_hooks[i].registered = want[i];
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Consumer lifecycle                                                                           */

static void free_scratch(u8 **s)
{
	unsigned int cpu;

	if (!s)
		return;
	for (cpu = 0; cpu < g_ndevs; cpu++) {
		if (s[cpu]) {
			vfree(s[cpu]);
			atomic_long_dec(&g_live_allocs);
		}
	}
	kfree(s);
	atomic_long_dec(&g_live_allocs);
}

static int alloc_scratch(void)
{
	u8 **s;
	unsigned int cpu;

	s = kcalloc(g_ndevs, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	atomic_long_inc(&g_live_allocs);
	for (cpu = 0; cpu < g_ndevs; cpu++) {
		s[cpu] = vmalloc(PYSCAP_SCRATCH_BYTES);
		if (!s[cpu]) {
			free_scratch(s);
			return -ENOMEM;
		}
		atomic_long_inc(&g_live_allocs);
	}
	smp_store_release(&g_scratch, s);
	return 0;
}

static void reset_settings(void)
{
	memset(&g_pyscap, 0, sizeof(g_pyscap));
	g_pyscap.snaplen = PYSCAP_DEFAULT_SNAPLEN;
}

static int pyscap_open(struct inode *inode, struct file *filp)
{
	unsigned int minor = iminor(inode);
	struct pyscap_dev *d;
	int rc = 0;

	if (minor >= g_ndevs)
		return -ENODEV;
	d = &g_devs[minor];
	mutex_lock(&g_lock);
	if (g_owner && g_owner != current->tgid) {
		pr_info("device %u: refused to pid %d (%s): capture already owned by pid %d (one consumer at a time)\n",
			minor, current->tgid, current->comm, g_owner);
		rc = -EBUSY;
		goto out;
	}
	if (d->open) {
		rc = -EEXIST; /* the consumer itself, a second time: one capture per consumer */
		goto out;
	}
	if (!g_owner) {
		reset_settings();
		rc = alloc_scratch();
		if (rc)
			goto out;
	}
	d->info = (struct pyscap_ring_info *)get_zeroed_page(GFP_KERNEL);
	if (!d->info) {
		if (!g_owner) {
			free_scratch(g_scratch);
			WRITE_ONCE(g_scratch, NULL);
		}
		rc = -ENOMEM;
		goto out;
	}
	atomic_long_inc(&g_live_allocs);
	d->dim = buffer_bytes;
	d->open = true;
	g_owner = current->tgid;
	g_nopen++;
	filp->private_data = d;
out:
	mutex_unlock(&g_lock);
	return rc;
}

static int pyscap_release(struct inode *inode, struct file *filp)
{
	struct pyscap_dev *d = filp->private_data;
	struct pyscap_ring *r;
	u8 **scratch = NULL;

	mutex_lock(&g_lock);
	r = d->ring;
	WRITE_ONCE(d->ring, NULL);
	if (--g_nopen == 0) {
		g_pyscap.capturing = false;
		sync_hooks();
		scratch = g_scratch;
		WRITE_ONCE(g_scratch, NULL);
	}
	/* No probe can still hold the ring (or, on the last release, the scratch buffers) after this. */
	tracepoint_synchronize_unregister();
	if (r) {
		kfree(r);
		atomic_long_dec(&g_live_allocs);
	}
	if (d->data) {
		vfree(d->data);
		atomic_long_dec(&g_live_allocs);
		d->data = NULL;
	}
	free_page((unsigned long)d->info);
	atomic_long_dec(&g_live_allocs);
	d->info = NULL;
	d->open = false;
	if (g_nopen == 0) {
		long live;

		free_scratch(scratch);
		g_owner = 0;
		live = atomic_long_read(&g_live_allocs);
		if (live)
			pr_err("leak: %ld allocations still live after the consumer left\n", live);
	}
	mutex_unlock(&g_lock);
	return 0;
}

static int map_pages(struct vm_area_struct *vma, void *base, unsigned long npages, unsigned int copies, bool is_vmalloc)
{
	unsigned long i, addr = vma->vm_start;
	unsigned int c;
	int rc;

	for (c = 0; c < copies; c++) {
		for (i = 0; i < npages; i++, addr += PAGE_SIZE) {
			void *p = (u8 *)base + i * PAGE_SIZE;
			struct page *pg = is_vmalloc ? vmalloc_to_page(p) : virt_to_page(p);

			rc = vm_insert_page(vma, addr, pg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

static int pyscap_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct pyscap_dev *d = filp->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	struct pyscap_ring *r;
	int rc;

	if (vma->vm_pgoff)
		return -EINVAL;
	mutex_lock(&g_lock);
	if (len == PAGE_SIZE) {
		rc = map_pages(vma, d->info, 1, 1, false);
		goto out;
	}
	if (len != 2ul * d->dim) {
		rc = -EINVAL;
		goto out;
	}
	if (vma->vm_flags & VM_WRITE) {
		rc = -EPERM;
		goto out;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_clear(vma, VM_MAYWRITE);
#else
	vma->vm_flags &= ~VM_MAYWRITE;
#endif
	if (!d->data) {
		d->data = vmalloc_user(d->dim);
		if (!d->data) {
			rc = -ENOMEM;
			goto out;
		}
		atomic_long_inc(&g_live_allocs);
	}
	rc = map_pages(vma, d->data, d->dim / PAGE_SIZE, 2, true);
	if (rc || d->ring)
		goto out;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r) {
		rc = -ENOMEM;
		goto out;
	}
	atomic_long_inc(&g_live_allocs);
	r->info = d->info;
	r->data = d->data;
	r->dim = d->dim;
	smp_store_release(&d->ring, r);
out:
	mutex_unlock(&g_lock);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Control                                                                                      */

static long pyscap_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct pyscap_dev *d = filp->private_data;
	void __user *uarg = (void __user *)arg;
	struct pyscap_set set;
	u8 old = 0;
	u64 v64;
	u32 v32;
	long rc = 0;

	switch (cmd) {
	case PYSCAP_IOCTL_GET_API_VERSION:
		v64 = SCAP_API_VERSION;
		return copy_to_user(uarg, &v64, sizeof(v64)) ? -EFAULT : 0;
	case PYSCAP_IOCTL_GET_SCHEMA_VERSION:
		v64 = SCAP_SCHEMA_VERSION;
		return copy_to_user(uarg, &v64, sizeof(v64)) ? -EFAULT : 0;
	case PYSCAP_IOCTL_GET_NDEVS: v32 = g_ndevs; return copy_to_user(uarg, &v32, sizeof(v32)) ? -EFAULT : 0;
	}

	mutex_lock(&g_lock);
	switch (cmd) {
	case PYSCAP_IOCTL_GET_BUFFER_BYTES:
		v32 = d->dim;
		rc = copy_to_user(uarg, &v32, sizeof(v32)) ? -EFAULT : 0;
		break;
	case PYSCAP_IOCTL_SET_BUFFER_BYTES:
		if (copy_from_user(&v32, uarg, sizeof(v32))) {
			rc = -EFAULT;
			break;
		}
		if (v32 < PAGE_SIZE || !is_power_of_2(v32) || v32 > (1u << 30))
			rc = -EINVAL;
		else if (d->data)
			rc = -EBUSY;
		else
			d->dim = v32;
		break;
	case PYSCAP_IOCTL_ENABLE_CAPTURE:
		g_pyscap.capturing = true;
		rc = sync_hooks();
		break;
	case PYSCAP_IOCTL_DISABLE_CAPTURE:
		g_pyscap.capturing = false;
		rc = sync_hooks();
		break;
	case PYSCAP_IOCTL_SET_SNAPLEN:
		if (copy_from_user(&v32, uarg, sizeof(v32)))
			rc = -EFAULT;
		else if (v32 > SCAP_MAX_PARAM_SIZE)
			rc = -EINVAL;
		else
			WRITE_ONCE(g_pyscap.snaplen, v32);
		break;
	case PYSCAP_IOCTL_SET_DROP_FAILED:
		if (copy_from_user(&v32, uarg, sizeof(v32)))
			rc = -EFAULT;
		else
			WRITE_ONCE(g_pyscap.drop_failed, !!v32);
		break;
	case PYSCAP_IOCTL_SET_SYSCALL:
	case PYSCAP_IOCTL_SET_TP:
		if (copy_from_user(&set, uarg, sizeof(set))) {
			rc = -EFAULT;
			break;
		}
		if (cmd == PYSCAP_IOCTL_SET_SYSCALL) {
			if (set.what >= SCAP_SYSCALL_NR_MAX) {
				rc = -EINVAL;
				break;
			}
			WRITE_ONCE(g_pyscap.interesting[set.what], set.value & (PYSCAP_SC_NATIVE | PYSCAP_SC_IA32));
		} else {
			if (set.what >= PYSCAP_TP_MAX) {
				rc = -EINVAL;
				break;
			}
			old = g_pyscap.tp[set.what];
			WRITE_ONCE(g_pyscap.tp[set.what], !!set.value);
		}
		rc = sync_hooks();
		if (rc && cmd == PYSCAP_IOCTL_SET_TP) {
			/* not available here (page faults off x86): leave the setting as it was */
			WRITE_ONCE(g_pyscap.tp[set.what], old);
			sync_hooks();
		}
		break;
	case PYSCAP_IOCTL_SET_EXCLUDED_TGIDS: {
		struct pyscap_exclude_tgids t;

		if (copy_from_user(&t, uarg, sizeof(t))) {
			rc = -EFAULT;
			break;
		}
		if (t.n > PYSCAP_MAX_EXCLUDED_TGIDS) {
			rc = -E2BIG;
			break;
		}
		WRITE_ONCE(g_pyscap.n_tgids, 0);
		smp_wmb();
		memcpy(g_pyscap.tgids, t.tgids, sizeof(t.tgids));
		smp_wmb();
		WRITE_ONCE(g_pyscap.n_tgids, t.n);
		break;
	}
	case PYSCAP_IOCTL_SET_EXCLUDED_COMMS: {
		struct pyscap_exclude_comms c;
		unsigned int i;

		if (copy_from_user(&c, uarg, sizeof(c))) {
			rc = -EFAULT;
			break;
		}
		if (c.n > PYSCAP_MAX_EXCLUDED_COMMS) {
			rc = -E2BIG;
			break;
		}
		for (i = 0; i < PYSCAP_MAX_EXCLUDED_COMMS; i++)
			c.comms[i][PYSCAP_COMM_LEN - 1] = 0;
		WRITE_ONCE(g_pyscap.n_comms, 0);
		smp_wmb();
		memcpy(g_pyscap.comms, c.comms, sizeof(c.comms));
		smp_wmb();
		WRITE_ONCE(g_pyscap.n_comms, c.n);
		break;
	}
	case PYSCAP_IOCTL_SET_EXCLUDED_PATHS: {
		struct pyscap_exclude_paths p;
		unsigned int i;

		if (copy_from_user(&p, uarg, sizeof(p))) {
			rc = -EFAULT;
			break;
		}
		if (p.n > PYSCAP_MAX_EXCLUDED_PATHS) {
			rc = -E2BIG;
			break;
		}
		for (i = 0; i < PYSCAP_MAX_EXCLUDED_PATHS; i++) {
			p.paths[i][PYSCAP_PATH_PREFIX_LEN - 1] = 0;
			if (i < p.n && (p.len[i] != strlen(p.paths[i]) || !p.len[i] || p.paths[i][0] != '/'))
				rc = -EINVAL;
		}
		if (rc)
			break;
		WRITE_ONCE(g_pyscap.n_paths, 0);
		smp_wmb();
		memcpy(g_pyscap.path_len, p.len, sizeof(p.len));
		memcpy(g_pyscap.paths, p.paths, sizeof(p.paths));
		smp_wmb();
		WRITE_ONCE(g_pyscap.n_paths, p.n);
		break;
	}
	default: rc = -ENOTTY;
	}
	mutex_unlock(&g_lock);
	return rc;
}

static const struct file_operations pyscap_fops = {
	.owner = THIS_MODULE,
	.open = pyscap_open,
	.release = pyscap_release,
	.mmap = pyscap_mmap,
	.unlocked_ioctl = pyscap_ioctl,
	.llseek = noop_llseek,
};

/* ------------------------------------------------------------------------------------------ */
/* Module                                                                                       */

#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
static char *pyscap_devnode(const struct device *dev, umode_t *mode)
#else
static char *pyscap_devnode(struct device *dev, umode_t *mode)
#endif
{
	if (mode)
		*mode = 0600;
	return NULL;
}

static void destroy_devices(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		device_destroy(g_class, MKDEV(MAJOR(g_devt), i));
}

static int __init pyscap_init(void)
{
	unsigned int i;
	int rc;

	if (buffer_bytes < PAGE_SIZE || !is_power_of_2(buffer_bytes)) {
		pr_err("buffer_bytes=%u: must be a power of 2 of at least one page\n", buffer_bytes);
		return -EINVAL;
	}
	rc = pyscap_fillers_check();
	if (rc)
		return rc;
	for_each_kernel_tracepoint(find_tracepoint, NULL);
	for (i = 0; i < HOOK_MAX; i++) {
		if (!g_hooks[i].tp && !g_hooks[i].optional) {
			pr_err("kernel tracepoint %s not found\n", g_hooks[i].name);
			return -ENOENT;
		}
	}
	reset_settings();
	g_ndevs = nr_cpu_ids;
	g_devs = kcalloc(g_ndevs, sizeof(*g_devs), GFP_KERNEL);
	if (!g_devs)
		return -ENOMEM;
	rc = alloc_chrdev_region(&g_devt, 0, g_ndevs, PYSCAP_DEVICE_NAME);
	if (rc)
		goto err_devs;
	cdev_init(&g_cdev, &pyscap_fops);
	g_cdev.owner = THIS_MODULE;
	rc = cdev_add(&g_cdev, g_devt, g_ndevs);
	if (rc)
		goto err_region;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	g_class = class_create(PYSCAP_DEVICE_NAME);
#else
	g_class = class_create(THIS_MODULE, PYSCAP_DEVICE_NAME);
#endif
	if (IS_ERR(g_class)) {
		rc = PTR_ERR(g_class);
		goto err_cdev;
	}
	g_class->devnode = pyscap_devnode;
	for (i = 0; i < g_ndevs; i++) {
		struct device *dev =
			device_create(g_class, NULL, MKDEV(MAJOR(g_devt), i), NULL, PYSCAP_DEVICE_NAME "%u", i);
		if (IS_ERR(dev)) {
			rc = PTR_ERR(dev);
			destroy_devices(i);
			goto err_class;
		}
	}
	pr_info("loaded: %u devices, API %llu.%llu.%llu, schema %u.%u.%u\n", g_ndevs, SCAP_API_VERSION >> 44,
		(SCAP_API_VERSION >> 24) & 0xfffff, SCAP_API_VERSION & 0xffffff, SCAP_SCHEMA_VERSION_MAJOR,
		SCAP_SCHEMA_VERSION_MINOR, SCAP_SCHEMA_VERSION_PATCH);
	return 0;

err_class:
	class_destroy(g_class);
err_cdev:
	cdev_del(&g_cdev);
err_region:
	unregister_chrdev_region(g_devt, g_ndevs);
err_devs:
	kfree(g_devs);
	return rc;
}

static void __exit pyscap_exit(void)
{
	unsigned int i;

	/* No device is open (each open file pins the module), so no hook is registered. */
	for (i = 0; i < HOOK_MAX; i++)
		WARN_ON(g_hooks[i].registered);
	tracepoint_synchronize_unregister();
	destroy_devices(g_ndevs);
	class_destroy(g_class);
	cdev_del(&g_cdev);
	unregister_chrdev_region(g_devt, g_ndevs);
	kfree(g_devs);
	pr_info("unloaded\n");
}

module_init(pyscap_init);
module_exit(pyscap_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("pyscap");
MODULE_DESCRIPTION("pyscap system-call capture driver");
MODULE_VERSION(PYSCAP_DRIVER_VERSION);
