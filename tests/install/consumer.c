/* A ten-line consumer: links the installed scarscore and loads a JPEG. */
#include <stdio.h>
#include <scarscore.h>
int main(int argc, char **argv)
{
    scar_image *img = NULL;
    if (argc < 2 || scar_image_load(argv[1], NULL, &img) != SCAR_OK) {
        fprintf(stderr, "consumer: %s\n", scar_last_error());
        return 1;
    }
    printf("%ux%u\n", scar_image_width(img), scar_image_height(img));
    scar_image_free(img);
    return 0;
}
