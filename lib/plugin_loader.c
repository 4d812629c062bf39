/* plugin_loader.c - find, open and vet a plugin shared object.
 *
 * The loader trusts nothing in a plugin until the fixed header of its
 * descriptor has been checked: magic, ABI major equal, minor not newer than
 * ours, struct_size at least the 1.0 size, option_size at least the 1.0
 * size, process set, a well-formed name. Only then is the descriptor copied
 * into host storage (members past the plugin's struct_size read as zero) and
 * its option table walked by the plugin's own stride. Options are validated
 * in options.c and init is called in stage.c.
 * SPDX-License-Identifier: MIT
 */
#include "plugin_loader.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Sizes of the 1.0 structs: the smallest a 1.x plugin may declare. */
#define PLUGIN_SIZE_1_0 (offsetof(sift_plugin, stats) + sizeof(((sift_plugin *)0)->stats))
#define OPTION_SIZE_1_0 (offsetof(sift_option, help) + sizeof(((sift_option *)0)->help))
#define MAX_OPTIONS (256)

struct sift_plugin_lib {
    void *dl;
    char *file;
    sift_plugin desc;     /* copy, zero past the plugin's struct_size */
    sift_option *options; /* copy, n_options + a zeroed end */
    size_t n_options;
};

static int name_is_valid(const char *name)
{
    if (!name || name[0] < 'a' || name[0] > 'z')
        return 0;
    size_t n = 1;
    for (; name[n]; n++) {
        char c = name[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') || n >= 32)
            return 0;
    }
    return 1;
}

const char *sift_plugin_default_path(void)
{
    static char path[PATH_MAX + 64];
    if (path[0])
        return path;
    const char *env = getenv("SIFT_PLUGIN_PATH");
    if (env && env[0]) {
        snprintf(path, sizeof path, "%s", env);
        return path;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(path, sizeof path, "/usr/local/" SIFT_PLUGIN_RELDIR);
        return path;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%s/../" SIFT_PLUGIN_RELDIR, exe);
    return path;
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

int sift_plugin_resolve(const char *name, const char *search_path, char *out, size_t cap,
                        sift_err *err)
{
    size_t len = name ? strlen(name) : 0;
    if (len == 0)
        return sift_err_set(err, SIFT_EINVAL, "empty plugin name");
    if (len >= cap || len > 255)
        return sift_err_set(err, SIFT_ERANGE, "plugin name too long (%zu bytes)", len);
    if (strchr(name, '/') || (len > 3 && strcmp(name + len - 3, ".so") == 0)) {
        snprintf(out, cap, "%s", name);
        return 0;
    }
    if (!search_path || !search_path[0])
        search_path = sift_plugin_default_path();
    char dirs[PATH_MAX * 2];
    snprintf(dirs, sizeof dirs, "%s", search_path);
    for (char *save = NULL, *dir = strtok_r(dirs, ":", &save); dir;
         dir = strtok_r(NULL, ":", &save)) {
        int w = snprintf(out, cap, "%s/%s.so", dir, name);
        if (w > 0 && (size_t)w < cap && file_exists(out))
            return 0;
    }
    return sift_err_set(err, SIFT_ENOENT, "plugin %s: no %s.so in %s", name, name, search_path);
}

/* Rule 2 of STYLE.md section 1, on the plain-data header only. */
static int vet_header(const sift_plugin *p, const char *file, sift_err *err)
{
    if (p->magic != SIFT_PLUGIN_MAGIC)
        return sift_err_set(err, SIFT_EINVAL, "%s: bad magic 0x%08x, not a sift plugin", file,
                            (unsigned)p->magic);
    if (p->abi_major != SIFT_ABI_MAJOR || p->abi_minor > SIFT_ABI_MINOR)
        return sift_err_set(err, SIFT_EINVAL, "%s: built for ABI %u.%u, sift has %d.%d", file,
                            (unsigned)p->abi_major, (unsigned)p->abi_minor, SIFT_ABI_MAJOR,
                            SIFT_ABI_MINOR);
    if (p->struct_size < PLUGIN_SIZE_1_0)
        return sift_err_set(err, SIFT_EINVAL, "%s: descriptor struct_size %u below the 1.0 size %zu",
                            file, (unsigned)p->struct_size, (size_t)PLUGIN_SIZE_1_0);
    if (p->option_size < OPTION_SIZE_1_0)
        return sift_err_set(err, SIFT_EINVAL, "%s: option_size %u below the 1.0 size %zu", file,
                            (unsigned)p->option_size, (size_t)OPTION_SIZE_1_0);
    return 0;
}

static int vet_desc(const sift_plugin *d, const char *file, sift_err *err)
{
    if (!d->process)
        return sift_err_set(err, SIFT_EINVAL, "%s: descriptor has no process function", file);
    if (!name_is_valid(d->name))
        return sift_err_set(err, SIFT_EINVAL,
                            "%s: plugin name \"%.40s\" must match [a-z][a-z0-9_]{0,31}", file,
                            d->name ? d->name : "(null)");
    if (!d->version || !d->version[0])
        return sift_err_set(err, SIFT_EINVAL, "%s: plugin %s has no version", file, d->name);
    return 0;
}

static int copy_options(sift_plugin_lib *lib, sift_err *err)
{
    const char *raw = (const char *)lib->desc.options;
    size_t stride = lib->desc.option_size, n = 0;
    if (raw)
        while (((const sift_option *)(const void *)(raw + n * stride))->name) {
            if (++n > MAX_OPTIONS)
                return sift_err_set(err, SIFT_ERANGE, "%s: more than %d options or no zeroed end",
                                    lib->file, MAX_OPTIONS);
        }
    lib->options = calloc(n + 1, sizeof *lib->options);
    if (!lib->options)
        return SIFT_ENOMEM;
    size_t each = stride < sizeof(sift_option) ? stride : sizeof(sift_option);
    for (size_t i = 0; i < n; i++) {
        memcpy(&lib->options[i], raw + i * stride, each);
        const sift_option *o = &lib->options[i];
        if (!name_is_valid(o->name) || o->type < SIFT_OPT_BOOL || o->type > SIFT_OPT_STRLIST ||
            (o->type == SIFT_OPT_ENUM && !o->choices))
            return sift_err_set(err, SIFT_EINVAL, "%s: option %zu (%.40s) is malformed", lib->file,
                                i, o->name);
    }
    lib->n_options = n;
    return 0;
}

int sift_plugin_lib_open(sift_plugin_lib **out, const char *file, sift_err *err)
{
    *out = NULL;
    size_t len = file ? strlen(file) : 0;
    if (len == 0)
        return sift_err_set(err, SIFT_EINVAL, "empty plugin path");
    if (len >= PATH_MAX)
        return sift_err_set(err, SIFT_ERANGE, "plugin path too long (%zu bytes)", len);
    if (access(file, R_OK) != 0)
        return sift_err_set(err, SIFT_ENOENT, "%s: no such file", file);
    sift_plugin_lib *lib = calloc(1, sizeof *lib);
    if (!lib || !(lib->file = strdup(file))) {
        free(lib);
        return SIFT_ENOMEM;
    }
    int rc;
    lib->dl = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    if (!lib->dl) {
        rc = sift_err_set(err, SIFT_EINVAL, "%s: cannot load: %s", file, dlerror());
        goto fail;
    }
    sift_plugin_entry_fn entry;
    *(void **)(&entry) = dlsym(lib->dl, SIFT_PLUGIN_ENTRY); /* POSIX-sanctioned cast */
    if (!entry) {
        rc = sift_err_set(err, SIFT_EINVAL, "%s: no entry symbol %s", file, SIFT_PLUGIN_ENTRY);
        goto fail;
    }
    const sift_plugin *p = entry();
    if (!p) {
        rc = sift_err_set(err, SIFT_EINVAL, "%s: %s returned NULL", file, SIFT_PLUGIN_ENTRY);
        goto fail;
    }
    if ((rc = vet_header(p, file, err)) < 0)
        goto fail;
    memcpy(&lib->desc, p, p->struct_size < sizeof lib->desc ? p->struct_size : sizeof lib->desc);
    if ((rc = vet_desc(&lib->desc, file, err)) < 0 || (rc = copy_options(lib, err)) < 0)
        goto fail;
    *out = lib;
    return 0;
fail:
    sift_plugin_lib_close(&lib);
    return rc;
}

void sift_plugin_lib_close(sift_plugin_lib **pp)
{
    if (!pp || !*pp)
        return;
    sift_plugin_lib *lib = *pp;
    /* Under the sanitizers, keep plugins mapped so leak and error reports can
     * still symbolise their frames. */
    if (lib->dl && !getenv("SIFT_NO_DLCLOSE"))
        dlclose(lib->dl);
    free(lib->options);
    free(lib->file);
    free(lib);
    *pp = NULL;
}

const sift_plugin *sift_plugin_lib_desc(const sift_plugin_lib *lib) { return &lib->desc; }
const char *sift_plugin_lib_file(const sift_plugin_lib *lib) { return lib->file; }

const sift_option *sift_plugin_lib_option(const sift_plugin_lib *lib, size_t i)
{
    return i < lib->n_options ? &lib->options[i] : NULL;
}

const sift_option *sift_plugin_lib_find_option(const sift_plugin_lib *lib, const char *name)
{
    for (size_t i = 0; i < lib->n_options; i++)
        if (strcmp(lib->options[i].name, name) == 0)
            return &lib->options[i];
    return NULL;
}
